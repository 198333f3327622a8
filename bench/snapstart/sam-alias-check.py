# Checks that SnapStart's alias is what every event source invokes, on the CloudFormation that SAM
# generates (samtranslator, the library cfn-lint uses; no AWS account needed). docs/ARCHITECTURE.md "SnapStart".
#   AWS_DEFAULT_REGION=eu-central-1 python3 bench/snapstart/sam-alias-check.py   (from the repository root)
import json, sys
from samtranslator.translator.transform import transform
from samtranslator.public.translator import ManagedPolicyLoader
from cfnlint.decode import decode
tpl, _ = decode("template.yaml")
for v in tpl["Resources"].values():
    if v["Type"]=="AWS::Serverless::Function": v["Properties"]["CodeUri"]="s3://bucket/key.jar"
class L:
    def load(self): return {}
out = transform(json.loads(json.dumps(tpl, default=str)), {"AWS::Region":"eu-central-1"}, L())
R = out['Resources']
def t(x): return [k for k,v in R.items() if v['Type']==x]
print("functions with SnapStart:", sum(1 for k in t('AWS::Lambda::Function') if R[k]['Properties'].get('SnapStart')=={'ApplyOn':'PublishedVersions'}), "/", len(t('AWS::Lambda::Function')))
print("aliases:", len(t('AWS::Lambda::Alias')), "versions:", len(t('AWS::Lambda::Version')))
for k in t('AWS::Lambda::EventSourceMapping'): print("ESM", k, R[k]['Properties']['FunctionName'])
for k in t('AWS::Scheduler::Schedule'): print("Schedule", k, R[k]['Properties']['Target']['Arn'])
perms = t('AWS::Lambda::Permission')
fn = {}
for k in perms: fn.setdefault(json.dumps(R[k]['Properties']['FunctionName']),0); fn[json.dumps(R[k]['Properties']['FunctionName'])]+=1
print("permissions by FunctionName:", fn)
api = [k for k in R if R[k]['Type']=='AWS::ApiGatewayV2::Api'][0]
body = R[api]['Properties']['Body']
uris=set()
for path,ops in body['paths'].items():
    for m,op in ops.items():
        if isinstance(op,dict) and 'x-amazon-apigateway-integration' in op:
            uris.add(json.dumps(op['x-amazon-apigateway-integration']['uri'])[:140])
print("integration uris:", len(uris)); [print("  ",u) for u in sorted(uris)[:3]]
print("authorizer uri:", json.dumps(body['components']['securitySchemes']['LaurelAuthorizer']['x-amazon-apigateway-authorizer']['authorizerUri']))
for k in t('AWS::IAM::Role'):
    if 'Schedule' in k or 'Every' in k or 'Daily' in k or 'Hourly' in k:
        print("role", k, json.dumps([s['Resource'] for p in R[k]['Properties'].get('Policies',[]) for s in p['PolicyDocument']['Statement'] if 'lambda:InvokeFunction' in json.dumps(s)]))
