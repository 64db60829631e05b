#!/usr/bin/env python3
"""Runs an SSM Automation document (schemaVersion 0.3) against recorded AWS responses, for the runbook tests.

Reads one JSON object on stdin:
  {"document": <the runbook as JSON>, "parameters": {...}, "executionId": "...",
   "responses": {"<service>.<Api>": [response, ...]}}
and writes {"status", "failureMessage", "outputs", "steps", "calls"} on stdout.

Every AWS call (the document's own aws:executeAwsApi / aws:waitForAwsResourceProperty / aws:assertAwsResourceProperty
steps, and boto3 calls made by aws:executeScript handlers through a fake boto3 module) takes the next recorded
response of its API; the last one repeats. A recorded response {"$error": {"Code", "Message"}} is raised as
botocore's ClientError, {"$paramValidation": "text"} as ParamValidationError. A call with no recording, an output
of the wrong type or an unknown construct is a simulator error (status "SimulatorError"), so a test cannot pass
by calling something it did not expect. A wait that reaches its last recording without the desired value ends
the run TimedOut, as SSM does when the step's timeoutSeconds pass. Only stdlib modules are used.
"""
import copy
import json
import re
import sys
import types

REFERENCE = re.compile(r"\{\{\s*([A-Za-z0-9_:.]+)\s*\}\}")
SEGMENT = re.compile(r"^([A-Za-z0-9_-]+)((?:\[\d+\])*)$")


class SimulatorError(Exception):
    pass


class StepFailed(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class ClientError(Exception):
    def __init__(self, error_response, operation_name):
        self.response = error_response
        self.operation_name = operation_name
        error = error_response.get("Error", {})
        super().__init__(f"An error occurred ({error.get('Code')}) when calling the {operation_name} operation: "
                         f"{error.get('Message')}")


class ParamValidationError(Exception):
    def __init__(self, report=""):
        super().__init__(f"Parameter validation failed:\n{report}")


class Recorder:
    def __init__(self, responses):
        self.responses = {key: list(value) for key, value in responses.items()}
        self.calls = []

    def call(self, service, api, args):
        self.calls.append({"api": f"{service}.{api}", "args": copy.deepcopy(args)})
        queue = self.responses.get(f"{service}.{api}")
        if not queue:
            raise SimulatorError(f"no recorded response for {service}.{api} {json.dumps(args, default=str)}")
        response = queue.pop(0) if len(queue) > 1 else queue[0]
        if "$error" in response:
            raise ClientError({"Error": response["$error"]}, api)
        if "$paramValidation" in response:
            raise ParamValidationError(response["$paramValidation"])
        return copy.deepcopy(response)

    def exhausted(self, service, api):
        return len(self.responses.get(f"{service}.{api}", [])) <= 1


def pascal(snake):
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


class FakeClient:
    def __init__(self, recorder, service):
        self._recorder, self._service = recorder, service

    def get_paginator(self, operation):
        client = self

        class Paginator:
            def paginate(self, **kwargs):
                while True:
                    page = getattr(client, operation)(**kwargs)
                    yield page
                    if not page.get("NextToken"):
                        return
                    kwargs = dict(kwargs, NextToken=page["NextToken"])

        return Paginator()

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda **kwargs: self._recorder.call(self._service, pascal(name), kwargs)


class FakeClock:
    def __init__(self):
        self.now = 1_700_000_000.0

    def module(self):
        fake = types.ModuleType("time")
        fake.time = lambda: self.now
        fake.monotonic = lambda: self.now
        fake.sleep = self.sleep
        return fake

    def sleep(self, seconds):
        self.now += seconds


def fake_modules(recorder, clock):
    boto3 = types.ModuleType("boto3")
    boto3.__version__ = "1.34.0-simulated"
    boto3.client = lambda service, **kwargs: FakeClient(recorder, service)
    botocore = types.ModuleType("botocore")
    exceptions = types.ModuleType("botocore.exceptions")
    exceptions.ClientError = ClientError
    exceptions.ParamValidationError = ParamValidationError
    config = types.ModuleType("botocore.config")
    config.Config = lambda **kwargs: kwargs
    botocore.exceptions, botocore.config = exceptions, config
    return {"boto3": boto3, "botocore": botocore, "botocore.exceptions": exceptions, "botocore.config": config,
            "time": clock.module()}


def select(value, selector):
    if not selector.startswith("$"):
        raise SimulatorError(f"unsupported selector {selector}")
    for segment in [s for s in selector[1:].split(".") if s]:
        match = SEGMENT.match(segment)
        if not match:
            raise SimulatorError(f"unsupported selector segment {segment} in {selector}")
        value = value.get(match.group(1)) if isinstance(value, dict) else None
        for index in re.findall(r"\[(\d+)\]", match.group(2)):
            value = value[int(index)] if isinstance(value, list) and int(index) < len(value) else None
    return value


class Run:
    def __init__(self, request):
        self.document = request["document"]
        self.recorder = Recorder(request.get("responses", {}))
        self.clock = FakeClock()
        self.variables = {"automation:EXECUTION_ID": request.get("executionId", "00000000-0000-0000-0000-000000000000")}
        for name, spec in self.document.get("parameters", {}).items():
            given = request.get("parameters", {}).get(name, spec.get("default"))
            if given is None:
                raise SimulatorError(f"parameter {name} is required")
            if not re.fullmatch(spec["allowedPattern"].lstrip("^").rstrip("$"), given):
                raise SimulatorError(f"parameter {name}={given!r} does not match {spec['allowedPattern']}")
            self.variables[name] = given
        self.steps = self.document["mainSteps"]
        self.visited = []

    def resolve(self, value):
        if isinstance(value, dict):
            return {key: self.resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, str):
            return value
        whole = REFERENCE.fullmatch(value.strip())
        if whole:
            return self.lookup(whole.group(1))
        return REFERENCE.sub(lambda m: str(self.lookup(m.group(1))), value)

    def lookup(self, name):
        if name not in self.variables:
            raise SimulatorError(f"{{{{ {name} }}}} is not set (a parameter, or an output of a step that has not run)")
        return self.variables[name]

    def api_args(self, inputs, *skip):
        return {key: value for key, value in self.resolve(inputs).items() if key not in ("Service", "Api") + skip}

    def execute(self):
        index = 0
        while True:
            step = self.steps[index]
            name = step["name"]
            self.visited.append(name)
            try:
                target = self.run_step(step)
            except StepFailed as failure:
                on_failure = step.get("onFailure", "Abort")
                if on_failure.startswith("step:"):
                    index = self.index_of(on_failure[5:])
                    continue
                if on_failure != "Abort":
                    raise SimulatorError(f"unsupported onFailure {on_failure}")
                return failure.status, f"Step fails when it is Executing. Fail reason: {failure}. Step: {name}"
            if target is not None:
                index = self.index_of(target)
            elif step.get("isEnd") == "true":
                return "Success", None
            elif step.get("nextStep"):
                index = self.index_of(step["nextStep"])
            elif index + 1 < len(self.steps):
                index += 1
            else:
                return "Success", None

    def index_of(self, name):
        for index, step in enumerate(self.steps):
            if step["name"] == name:
                return index
        raise SimulatorError(f"no step {name}")

    def run_step(self, step):
        action, inputs = step["action"], step.get("inputs", {})
        if action == "aws:branch":
            for choice in inputs["Choices"]:
                if self.choice(choice):
                    return choice["NextStep"]
            if "Default" not in inputs:
                raise StepFailed("Failed", "no choice matched and there is no Default")
            return inputs["Default"]
        if action == "aws:executeScript":
            self.store(step, {"Payload": self.script(inputs)})
        elif action == "aws:executeAwsApi":
            self.store(step, self.call(inputs["Service"], inputs["Api"], self.api_args(inputs)))
        elif action == "aws:waitForAwsResourceProperty":
            self.wait(inputs)
        elif action == "aws:assertAwsResourceProperty":
            args = self.api_args(inputs, "PropertySelector", "DesiredValues")
            actual = select(self.call(inputs["Service"], inputs["Api"], args), inputs["PropertySelector"])
            desired = self.resolve(inputs["DesiredValues"])
            if actual not in desired:
                raise StepFailed("Failed", f"expected value of {inputs['PropertySelector']} to be one of {desired}, "
                                           f"actual value is {actual}")
        else:
            raise SimulatorError(f"unsupported action {action}")
        return None

    def call(self, service, api, args):
        try:
            return self.recorder.call(service, api, args)
        except ClientError as error:
            raise StepFailed("Failed", str(error)) from error

    def wait(self, inputs):
        args = self.api_args(inputs, "PropertySelector", "DesiredValues")
        desired = self.resolve(inputs["DesiredValues"])
        while True:
            done = self.recorder.exhausted(inputs["Service"], inputs["Api"])
            actual = select(self.call(inputs["Service"], inputs["Api"], args), inputs["PropertySelector"])
            if actual in desired:
                return
            if done:
                raise StepFailed("TimedOut", f"{inputs['PropertySelector']} was {actual}, never one of {desired}")

    def script(self, inputs):
        namespace = {"__name__": "runbook_script"}
        saved = {name: sys.modules.get(name) for name in ("boto3", "botocore", "botocore.exceptions", "botocore.config", "time")}
        sys.modules.update(fake_modules(self.recorder, self.clock))
        try:
            exec(compile(inputs["Script"], "<script>", "exec"), namespace)
            return namespace[inputs["Handler"]](self.resolve(inputs.get("InputPayload", {})), None)
        except SimulatorError:
            raise
        except Exception as error:  # the handler's exception fails the step, as in SSM
            raise StepFailed("Failed", f"{type(error).__name__}: {error}") from error
        finally:
            for name, module in saved.items():
                if module is None:
                    sys.modules.pop(name, None)
                else:
                    sys.modules[name] = module

    def store(self, step, response):
        for output in step.get("outputs", []):
            value = select(response, output["Selector"])
            kind = output["Type"]
            ok = {"String": lambda v: isinstance(v, str), "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
                  "Boolean": lambda v: isinstance(v, bool),
                  "StringList": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v)}.get(kind)
            if ok is None or not ok(value):
                raise SimulatorError(f"{step['name']}.{output['Name']}: {value!r} is not a {kind}")
            self.variables[f"{step['name']}.{output['Name']}"] = value

    def choice(self, choice):
        if "And" in choice:
            return all(self.choice(c) for c in choice["And"])
        if "Or" in choice:
            return any(self.choice(c) for c in choice["Or"])
        if "Not" in choice:
            return not self.choice(choice["Not"])
        value = self.resolve(choice["Variable"])
        if "StringEquals" in choice:
            return str(value) == choice["StringEquals"]
        if "BooleanEquals" in choice:
            return str(value).lower() == str(choice["BooleanEquals"]).lower()
        if "NumericEquals" in choice:
            return float(value) == float(choice["NumericEquals"])
        if "NumericGreater" in choice:
            return float(value) > float(choice["NumericGreater"])
        raise SimulatorError(f"unsupported choice {choice}")


def main():
    request = json.load(sys.stdin)
    run = Run(request)
    try:
        status, message = run.execute()
    except SimulatorError as error:
        status, message = "SimulatorError", str(error)
    outputs = {name: run.variables[name] for name in run.document.get("outputs", []) if name in run.variables}
    json.dump({"status": status, "failureMessage": message, "outputs": outputs, "steps": run.visited,
               "calls": run.recorder.calls}, sys.stdout, default=str)


if __name__ == "__main__":
    main()
