package dev.laurel.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** A handler of objects, not streams, with no constructor arguments. */
public final class PojoHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        return Map.of("routeKey", event.get("routeKey"), "function", context.getFunctionName());
    }
}
