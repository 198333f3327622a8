package dev.laurel.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

/**
 * The template's functions, loaded from the classpath by their {@code Handler} and invoked as
 * Lambda invokes them. A function keeps warm instances like Lambda keeps warm containers: one
 * while calls come one at a time, another when a call arrives while every instance is busy
 * (Lambda's concurrency), so a handler never serves two calls at once, as on AWS.
 *
 * <p>Instances are built through the public constructor whose parameters the runner can all
 * supply ({@code Laurel}, {@code ApiKeys}, {@code DynamoStore}, the clock, ...; see
 * {@link LocalServer}); the one with most parameters wins. Each instance gets its own
 * collaborators that a container would own (a fresh {@code Laurel} with its own program cache).
 */
public final class Functions {
    private final Map<String, Fn> byId = new LinkedHashMap<>();

    /**
     * @param providers what constructors may ask for: type → a supplier called per instance
     */
    public Functions(Template template, Map<Class<?>, Supplier<?>> providers, PrintStream log) {
        for (Template.Function f : template.functions().values()) {
            byId.put(f.logicalId(), new Fn(f, providers, log));
        }
    }

    public Fn get(String logicalId) {
        Fn f = byId.get(logicalId);
        if (f == null) {
            throw new IllegalArgumentException("no function " + logicalId + " in the template");
        }
        return f;
    }

    public Map<String, Fn> all() {
        return Collections.unmodifiableMap(byId);
    }

    /** Jackson for handlers that take and return objects (built on first use). */
    private static final class Pojo {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).findAndAddModules().build();
    }

    /** A function that could not be loaded or failed while running; API Gateway answers 500. */
    public static final class FunctionError extends Exception {
        FunctionError(String message, Throwable cause) {
            super(message, cause, false, true);
        }
    }

    /** One function of the template. */
    public static final class Fn {
        private final Template.Function def;
        private final PrintStream log;
        private final ConcurrentLinkedDeque<Object> warm = new ConcurrentLinkedDeque<>();
        private Constructor<?> constructor;
        private List<Supplier<?>> arguments;
        private Method method;
        private boolean stream;
        private JavaType inputType;
        private String problem;

        Fn(Template.Function def, Map<Class<?>, Supplier<?>> providers, PrintStream log) {
            this.def = def;
            this.log = log;
            try {
                Class<?> cls = Class.forName(def.handlerClass(), false, Functions.class.getClassLoader());
                resolveMethod(cls);
                resolveConstructor(cls, providers);
            } catch (ClassNotFoundException | LinkageError e) {
                problem = "handler class " + def.handlerClass() + " is not on the classpath (" + e + ")";
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }

        private void resolveMethod(Class<?> cls) {
            List<Method> candidates = new ArrayList<>();
            for (Method m : cls.getMethods()) {
                if (m.getName().equals(def.handlerMethod()) && !m.isBridge() && !Modifier.isStatic(m.getModifiers())) {
                    candidates.add(m);
                }
            }
            for (Method m : candidates) {
                Class<?>[] p = m.getParameterTypes();
                if (p.length >= 2 && p[0] == InputStream.class && p[1] == OutputStream.class
                        && (p.length == 2 || (p.length == 3 && p[2] == Context.class))) {
                    method = m;
                    stream = true;
                    return;
                }
            }
            for (Method m : candidates) {
                Class<?>[] p = m.getParameterTypes();
                if (p.length == 0 || p.length == 1 || (p.length == 2 && p[1] == Context.class)) {
                    method = m;
                    inputType = p.length == 0 ? null : Pojo.MAPPER.getTypeFactory().constructType(m.getGenericParameterTypes()[0]);
                    return;
                }
            }
            throw new IllegalArgumentException(def.handlerClass() + " has no public method " + def.handlerMethod()
                    + "(InputStream, OutputStream, Context) or " + def.handlerMethod() + "(input, Context)");
        }

        private void resolveConstructor(Class<?> cls, Map<Class<?>, Supplier<?>> providers) {
            Constructor<?>[] all = cls.getConstructors();
            Arrays.sort(all, Comparator.comparingInt((Constructor<?> c) -> c.getParameterCount()).reversed());
            for (Constructor<?> c : all) {
                List<Supplier<?>> args = new ArrayList<>();
                for (Class<?> p : c.getParameterTypes()) {
                    Supplier<?> s = null;
                    for (var e : providers.entrySet()) {
                        if (p.isAssignableFrom(e.getKey())) {
                            s = e.getValue();
                            break;
                        }
                    }
                    if (s == null) {
                        args = null;
                        break;
                    }
                    args.add(s);
                }
                if (args != null) {
                    if (c.getParameterCount() == 0) {
                        log.println("warning: " + def.logicalId() + " (" + cls.getName() + ") takes nothing Laurel local can give"
                                + " it; its no-arg constructor configures itself from the environment");
                    }
                    constructor = c;
                    arguments = args;
                    return;
                }
            }
            throw new IllegalArgumentException(cls.getName() + " has no public constructor Laurel local can call: it can pass "
                    + providers.keySet().stream().map(Class::getSimpleName).toList());
        }

        public String logicalId() {
            return def.logicalId();
        }

        public Template.Function definition() {
            return def;
        }

        /** Why this function cannot run (null when it can). */
        public String problem() {
            return problem;
        }

        /** Builds one warm instance now, so the first call does not pay for it. */
        public void warmUp() throws FunctionError {
            warm.push(instance());
        }

        private Object instance() throws FunctionError {
            if (problem != null) {
                throw new FunctionError(def.logicalId() + ": " + problem, null);
            }
            Object[] args = new Object[arguments.size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = arguments.get(i).get();
            }
            try {
                return constructor.newInstance(args);
            } catch (InvocationTargetException e) {
                throw new FunctionError(def.logicalId() + ": init failed: " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new FunctionError(def.logicalId() + ": init failed: " + e, e);
            }
        }

        /** Invokes the function with a JSON payload and returns what it answered (the raw bytes). */
        public byte[] invoke(byte[] payload, String requestId) throws FunctionError {
            Object target = warm.poll();
            if (target == null) {
                target = instance();
            }
            Context context = new LocalContext(def, requestId, System.nanoTime());
            try {
                if (stream) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    InputStream in = new ByteArrayInputStream(payload);
                    if (method.getParameterCount() == 3) {
                        method.invoke(target, in, out, context);
                    } else {
                        method.invoke(target, in, out);
                    }
                    return out.toByteArray();
                }
                Object result;
                if (method.getParameterCount() == 0) {
                    result = method.invoke(target);
                } else {
                    Object input = Pojo.MAPPER.readValue(payload, inputType);
                    result = method.getParameterCount() == 2 ? method.invoke(target, input, context) : method.invoke(target, input);
                }
                return method.getReturnType() == void.class ? "null".getBytes(StandardCharsets.UTF_8) : Pojo.MAPPER.writeValueAsBytes(result);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw new FunctionError(def.logicalId() + " failed: " + cause, cause);
            } catch (Exception e) {
                throw new FunctionError(def.logicalId() + " could not be invoked: " + e, e);
            } finally {
                warm.push(target);
            }
        }
    }

    /** The Lambda context a handler gets: request id, names, remaining time, a logger. */
    static final class LocalContext implements Context {
        private final Template.Function def;
        private final String requestId;
        private final long startNanos;

        LocalContext(Template.Function def, String requestId, long startNanos) {
            this.def = def;
            this.requestId = Objects.requireNonNullElseGet(requestId, () -> UUID.randomUUID().toString());
            this.startNanos = startNanos;
        }

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/" + getFunctionName();
        }

        @Override
        public String getLogStreamName() {
            return "local";
        }

        @Override
        public String getFunctionName() {
            return "laurel-local-" + def.logicalId();
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:" + LocalDynamo.REGION.id() + ":" + HttpApi.ACCOUNT + ":function:" + getFunctionName();
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
            return (int) Math.max(0, def.timeoutSeconds() * 1000L - elapsedMs);
        }

        @Override
        public int getMemoryLimitInMB() {
            return def.memoryMb();
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.write(message, 0, message.length);
                }
            };
        }
    }
}
