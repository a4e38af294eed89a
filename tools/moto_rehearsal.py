"""moto server for the deploy rehearsal (tools/rehearse.mjs): moto_serve.py plus fixes of
moto's CloudFormation where it mistranslates a template that AWS accepts. Each fix names the
moto version it was found in and the error it raised; the rehearsal prints them all, so what
the emulator could not carry as it is stays visible.
"""

import moto
from moto.awslambda.models import LambdaVersion, LayerVersion, lambda_backends
from moto.cloudformation.models import CloudFormationBackend
from moto.cloudformation import parsing
from moto.cloudformation.parsing import ResourceMap
from moto.cloudformation.exceptions import CloudFormationError
from moto.cloudformation.responses import CloudFormationResponse, EmptyResult
from moto.core.common_models import CloudFormationModel
from moto.kms.models import Key

import moto_serve

FIXES = []

_create_key = Key.create_from_cloudformation_json.__func__


def _key_with_cfn_tags(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    # CloudFormation writes tags as Key/Value, KMS's API as TagKey/TagValue; moto passes the
    # CloudFormation form to the API's tagging and fails with KeyError: 'TagKey'
    props = cloudformation_json.get("Properties", {})
    props["Tags"] = [
        {"TagKey": t["Key"], "TagValue": t["Value"]} if "Key" in t else t for t in props.get("Tags", [])
    ]
    return _create_key(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)


Key.create_from_cloudformation_json = classmethod(_key_with_cfn_tags)
FIXES.append(f"moto {moto.__version__}: AWS::KMS::Key Tags (KeyError: 'TagKey')")

_execute_change_set = CloudFormationBackend.execute_change_set


def _roll_back_create(stack, template, error):
    """What CloudFormation does when a create fails: delete every resource the create made
    except those with DeletionPolicy Retain (RetainExceptOnCreate ones go too), and leave the
    stack in ROLLBACK_COMPLETE, which the CDK CLI deletes before it creates the stack again."""
    resources = template.get("Resources", {})
    resource_map = stack.resource_map
    created = [
        (logical_id, model)
        for logical_id, model in resource_map._parsed_resources.items()
        if logical_id in resources and model is not None and not isinstance(model, str)
    ]
    stack._add_stack_event("ROLLBACK_IN_PROGRESS", resource_status_reason=f"{type(error).__name__}: {error}")
    pending = [(i, m) for i, m in reversed(created) if resources[i].get("DeletionPolicy") != "Retain"]
    for _ in range(5):  # dependants first, then what they depended on
        failed = []
        for logical_id, model in pending:
            try:
                resource_map._delete_resource(model, resources[logical_id])
            except Exception:  # a dependency still in place: try again in the next pass
                failed.append((logical_id, model))
        pending = failed
    kept = {i: m for i, m in created if resources[i].get("DeletionPolicy") == "Retain"}
    resource_map._parsed_resources = {
        k: v for k, v in resource_map._parsed_resources.items() if k not in resources or k in kept
    }
    resource_map._resource_json_map = {i: resources[i] for i in kept}
    stack.status = "ROLLBACK_COMPLETE"
    stack._add_stack_event("ROLLBACK_COMPLETE")


def _execute_with_outputs(self, change_set_name, stack_name=None):
    # moto applies a change set's resources but keeps the outputs (and so the exports) of the
    # template the stack had before: for a CREATE change set none, and the next stack's
    # Fn::ImportValue fails with "No export named …"; a stack made by a change set is also
    # not given the account's exports to import from. And a resource that fails to create
    # fails the API call (a 500) and leaves the stack half made: no rollback ("TODO: handle
    # execution errors and implement rollback" in moto's execute_change_set).
    change_set = self.change_sets.get(change_set_name) or next(
        c for c in self.change_sets.values() if c.change_set_name == change_set_name
    )
    stack = self.stacks[change_set.stack_id]
    stack.cross_stack_resources = self.exports
    stack.resource_map.cross_stack_resources = self.exports
    try:
        _execute_change_set(self, change_set_name, stack_name)
    except Exception as error:
        if change_set.change_set_type != "CREATE":
            raise
        change_set.execution_status = "EXECUTE_FAILED"
        _roll_back_create(stack, change_set.template_dict, error)
        return
    stack._parse_template()
    stack.output_map = stack._create_output_map()
    self._validate_export_uniqueness(stack)
    for export in stack.exports:
        self.exports[export.name] = export


CloudFormationBackend.execute_change_set = _execute_with_outputs
FIXES.append(f"moto {moto.__version__}: ExecuteChangeSet creates no Outputs or exports, and never rolls back a failed create")

class ChangeSetNotFound(CloudFormationError):
    code = "ChangeSetNotFoundException"

    def __init__(self, name, stack):
        super().__init__(f"ChangeSet [{name}] does not exist on stack [{stack}]")


def _change_set_of_stack(method):
    # moto finds a change set by its name alone, across stacks; the CDK CLI names every one
    # cdk-deploy-change-set, so the second stack's deploy described, executed or deleted the
    # first stack's ("Stack with id cdk-deploy-change-set does not exist"). Deleting a change
    # set that does not exist succeeds on AWS while the stack exists (the CLI relies on it);
    # moto fails with UnboundLocalError. Describing one that does not exist is
    # ChangeSetNotFoundException, which the CLI waits for after a delete.
    def handler(self):
        name, stack = self._get_param("ChangeSetName"), self._get_param("StackName")
        if name and stack and not name.startswith("arn:"):
            arns = [
                arn
                for arn, change_set in self.cloudformation_backend.change_sets.items()
                if change_set.change_set_name == name
                and stack in (change_set.stack_name, change_set.stack_id)
                # a deleted stack's change sets go with it (a stack re-created after a rollback
                # has the same name)
                and change_set.stack_id in self.cloudformation_backend.stacks
            ]
            if not arns and method.__name__ == "delete_change_set":
                return EmptyResult()
            if not arns:
                raise ChangeSetNotFound(name, stack)
            if arns:
                get_param = self._get_param
                self._get_param = lambda p, if_none=None: arns[-1] if p == "ChangeSetName" else get_param(p, if_none)
        return method(self)

    return handler


for _action in ("describe_change_set", "delete_change_set", "execute_change_set"):
    setattr(CloudFormationResponse, _action, _change_set_of_stack(getattr(CloudFormationResponse, _action)))
FIXES.append(f"moto {moto.__version__}: change sets found by name across stacks")

_parse_ssm_parameter = ResourceMap.parse_ssm_parameter


def _ssm_parameter_or_previous_value(self, value, value_type):
    # An update with UsePreviousValue (the CLI's BootstrapVersion) hands moto the value it
    # resolved last time, which moto then looks up as a parameter name: AttributeError:
    # 'NoneType' object has no attribute 'value'. CloudFormation resolves the name again.
    from moto.ssm.models import ssm_backends

    if ssm_backends[self._account_id][self._region_name].get_parameter(value) is None:
        return value
    return _parse_ssm_parameter(self, value, value_type)


ResourceMap.parse_ssm_parameter = _ssm_parameter_or_previous_value
FIXES.append(f"moto {moto.__version__}: an update's SSM-typed parameter with UsePreviousValue")

def _dependency_order(resources):
    """Logical ids, each after what it names through Ref, Fn::GetAtt or DependsOn."""
    def named(value):
        if isinstance(value, dict):
            if isinstance(value.get("Ref"), str):
                yield value["Ref"]
            if isinstance(value.get("Fn::GetAtt"), list):
                yield value["Fn::GetAtt"][0]
            for v in value.values():
                yield from named(v)
        elif isinstance(value, list):
            for v in value:
                yield from named(v)

    order, seen = [], set()

    def visit(name):
        if name in seen or name not in resources:
            return
        seen.add(name)
        depends_on = resources[name].get("DependsOn", [])
        for dependency in [depends_on] if isinstance(depends_on, str) else depends_on:
            visit(dependency)
        for dependency in named(resources[name].get("Properties", {})):
            visit(dependency)
        order.append(name)

    for name in resources:
        visit(name)
    return order


def _update_in_dependency_order(self, template, parameters=None):
    # moto's update adds every new resource (in template order, ignoring DependsOn), then
    # modifies the changed ones: an API Gateway Deployment came before its methods ("The REST
    # API doesn't contain any methods"), and a new Lambda Version was published from the
    # function's old code, before the code changed. CloudFormation follows the dependencies.
    names = self.build_resource_diff(template, parameters)
    for name in names["Remove"]:
        model = self._parsed_resources.pop(name, None)
        if model is not None and not isinstance(model, str):
            self._delete_resource(model, self._resource_json_map[name])
    self._template = template
    if parameters:
        self.input_parameters = parameters
    self.load_mapping()
    self.load_parameters()
    self.load_conditions()
    self._resource_json_map = template["Resources"]
    added, modified = set(names["Add"]), set(names["Modify"])
    for name in _dependency_order(template["Resources"]):
        if name in added:
            _ = self[name]  # moto creates a resource on first access
        elif name in modified:
            self._parsed_resources[name] = parsing.parse_and_update_resource(
                name, template["Resources"][name], self, account_id=self._account_id, region_name=self._region_name
            )


ResourceMap.update = _update_in_dependency_order
FIXES.append(f"moto {moto.__version__}: updates and change sets ignore dependencies")

# moto models AWS::Lambda::Version but answers no Fn::GetAtt of it (AttributeError:
# 'LambdaVersion' object has no attribute 'get_cfn_attribute'): an alias names its version so
# 'LambdaVersion' object has no attribute 'get_cfn_attribute'), and its Ref is the model
# object itself (a policy naming it: "Object of type LambdaVersion is not JSON serializable")
def _create_version(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    function_name = cloudformation_json["Properties"]["FunctionName"]
    published = lambda_backends[account_id][region_name].publish_version(function_name)
    version = cls({"Version": published.version})
    version.physical_resource_id = published.function_arn  # the version's qualified ARN
    return version


LambdaVersion.create_from_cloudformation_json = classmethod(_create_version)
LambdaVersion.has_cfn_attr = classmethod(lambda cls, attr: attr == "Version")
LambdaVersion.get_cfn_attribute = lambda self, attr: self.version
FIXES.append(f"moto {moto.__version__}: AWS::Lambda::Version's Ref and Fn::GetAtt Version")

# A LayerVersion's Ref is the model object, not its ARN: an update of a function that uses the
# layer fails ("'LayerVersion' object has no attribute 'replace'")
LayerVersion.physical_resource_id = property(lambda self: self.arn)
FIXES.append(f"moto {moto.__version__}: AWS::Lambda::LayerVersion's Ref")


class LambdaAliasResource(CloudFormationModel):
    """AWS::Lambda::Alias, which moto's CloudFormation does not model (it warns "not supported"
    and every Ref to an alias is then empty), on moto's own Lambda alias API."""

    # moto's model registry files every model under the service named in its module
    __module__ = "moto.awslambda.models"

    def __init__(self, alias):
        self.alias = alias

    @staticmethod
    def cloudformation_type():
        return "AWS::Lambda::Alias"

    @staticmethod
    def cloudformation_name_type():
        return ""

    @property
    def physical_resource_id(self):
        return self.alias.arn

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr == "AliasArn"

    def get_cfn_attribute(self, attribute_name):
        return self.alias.arn

    @staticmethod
    def _args(cloudformation_json):
        p = cloudformation_json["Properties"]
        return (
            p["Name"],
            p["FunctionName"],
            str(p["FunctionVersion"]),
            p.get("Description", ""),
            p.get("RoutingConfig"),
        )

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        backend = lambda_backends[account_id][region_name]
        return cls(backend.create_alias(*cls._args(cloudformation_json)))

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        backend = lambda_backends[account_id][region_name]
        return cls(backend.update_alias(*cls._args(cloudformation_json)))

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        name, function_name, *_ = cls._args(cloudformation_json)
        lambda_backends[account_id][region_name].delete_alias(name, function_name)

    def is_created(self):
        return True


FIXES.append(f"moto {moto.__version__}: AWS::Lambda::Alias is not modelled (added, on moto's Lambda alias API)")

# Where moto's CloudFormation models no resource type it warns and leaves the resource out,
# and every Ref or Fn::GetAtt of it fails the stack ("references undefined resource"). Here
# such a resource is a placeholder whose physical id says so: "unmodelled:<type>/<logical id>".
# The rehearsal reads them back through ListStackResources and prints their types by name.
UNMODELLED_PREFIX = "unmodelled:"


class UnmodelledResource(CloudFormationModel):
    """A resource of a type moto does not model: recorded, never emulated."""

    __module__ = "moto.cloudformation.models"

    def __init__(self, resource_type, logical_id):
        self.physical_resource_id = f"{UNMODELLED_PREFIX}{resource_type}/{logical_id}"

    @staticmethod
    def cloudformation_type():
        return "Custom::Unmodelled"

    @staticmethod
    def cloudformation_name_type():
        return ""

    @classmethod
    def has_cfn_attr(cls, attr):
        return True

    def get_cfn_attribute(self, attribute_name):
        return f"{self.physical_resource_id}#{attribute_name}"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        return cls(kwargs.get("ResourceType", cloudformation_json.get("Type")), kwargs.get("LogicalId", resource_name))

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        return None

    def is_created(self):
        return True


_resource_class_from_type = parsing.resource_class_from_type


def _class_or_placeholder(resource_type):
    return _resource_class_from_type(resource_type) or UnmodelledResource


parsing.resource_class_from_type = _class_or_placeholder

if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--fixes"]:
        print("\n".join(FIXES))
    else:
        moto_serve.main()
