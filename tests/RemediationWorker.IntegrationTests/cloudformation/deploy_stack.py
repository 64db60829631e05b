"""Deploys deploy/remediation-worker.yaml into a moto_server's CloudFormation (StackDeploymentTests.cs runs it).

The project's .NET code cannot call CloudFormation (AWSSDK.CloudFormation cannot be restored here), so this uses
boto3, which every moto installation brings. moto's CloudFormation expands neither the AWS::LanguageExtensions
transform (Fn::ForEach) nor Fn::If branches that are AWS::NoValue inside lists, so both are expanded here first,
as CloudFormation would with the same parameter values; nothing else in the template is changed.

Usage: deploy_stack.py ENDPOINT TEMPLATE PARAMETERS_JSON
Prints one JSON object: status, reason, resources [{logical, type, physical}], outputs {key: value}.
"""
import json
import re
import sys

import boto3
import yaml

REGION = "us-east-1"


class _Loader(yaml.SafeLoader):
    """YAML with CloudFormation's short-form tags read as their long forms."""


def _tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix in ("Ref", "Condition"):
        return {suffix: value}
    if suffix == "GetAtt" and isinstance(value, str):
        return {"Fn::GetAtt": value.split(".", 1)}
    return {"Fn::" + suffix: value}


_Loader.add_multi_constructor("!", _tag)
_NO_VALUE = object()


def _parameter(template, values, name):
    if name in values:
        return values[name]
    return template["Parameters"].get(name, {}).get("Default", "")


def _scalar(template, values, node):
    """The values Conditions compare: a Ref to a parameter, or !Join of a list parameter."""
    if isinstance(node, dict) and "Ref" in node:
        return _parameter(template, values, node["Ref"])
    if isinstance(node, dict) and "Fn::Join" in node:
        separator, items = node["Fn::Join"]
        return separator.join(str(_scalar(template, values, items)).split(","))
    return node


def _condition(template, values, node):
    (function, argument), = node.items()
    if function == "Condition":
        return _condition(template, values, template["Conditions"][argument])
    if function == "Fn::Equals":
        return str(_scalar(template, values, argument[0])) == str(_scalar(template, values, argument[1]))
    if function == "Fn::Not":
        return not _condition(template, values, argument[0])
    if function == "Fn::And":
        return all(_condition(template, values, c) for c in argument)
    if function == "Fn::Or":
        return any(_condition(template, values, c) for c in argument)
    raise ValueError(f"condition function {function}")


def _resolve_ifs(template, values, node):
    if isinstance(node, dict):
        if list(node) == ["Fn::If"]:
            name, if_true, if_false = node["Fn::If"]
            chosen = if_true if _condition(template, values, template["Conditions"][name]) else if_false
            return _resolve_ifs(template, values, chosen)
        if node == {"Ref": "AWS::NoValue"}:
            return _NO_VALUE
        resolved = {k: _resolve_ifs(template, values, v) for k, v in node.items()}
        return {k: v for k, v in resolved.items() if v is not _NO_VALUE}
    if isinstance(node, list):
        return [v for v in (_resolve_ifs(template, values, i) for i in node) if v is not _NO_VALUE]
    return node


def _expand_for_each(template, values):
    resources = template["Resources"]
    for key in [k for k in resources if k.startswith("Fn::ForEach::")]:
        identifier, collection, body = resources.pop(key)
        items = str(_scalar(template, values, collection)).split(",")
        for item in items:
            text = json.dumps(body)
            text = text.replace("${%s}" % identifier, item)
            text = text.replace("&{%s}" % identifier, re.sub("[^A-Za-z0-9]", "", item))
            resources.update(json.loads(text))


def main(endpoint, template_path, parameters_json):
    values = json.loads(parameters_json)
    with open(template_path, encoding="utf-8") as stream:
        template = yaml.load(stream, _Loader)
    template.pop("Transform", None)
    _expand_for_each(template, values)
    for section in ("Resources", "Outputs"):
        template[section] = _resolve_ifs(template, values, template[section])

    session = dict(region_name=REGION, endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing")
    ec2 = boto3.client("ec2", **session)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    values.setdefault("VpcId", vpc)
    values.setdefault("SubnetIds", subnet)

    cloudformation = boto3.client("cloudformation", **session)
    cloudformation.create_stack(
        StackName="remediation-worker",
        TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()],
        Capabilities=["CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    stack = cloudformation.describe_stacks(StackName="remediation-worker")["Stacks"][0]
    resources = cloudformation.list_stack_resources(StackName="remediation-worker")["StackResourceSummaries"]
    print(json.dumps({
        "status": stack["StackStatus"],
        "reason": stack.get("StackStatusReason"),
        "resources": [
            {"logical": r["LogicalResourceId"], "type": r["ResourceType"], "physical": r.get("PhysicalResourceId")}
            for r in resources if r.get("LogicalResourceId")
        ],
        "outputs": {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
    }))


if __name__ == "__main__":
    main(*sys.argv[1:4])
