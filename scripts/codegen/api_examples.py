"""The examples of the API pages: one complete async script per method, for the local Airflow.

Each follows the seed pages' layout (parameters as variables, commented with their type and
description, then the call and its answer) and takes its values from spec/v1-samples.yaml. They
are not run here (they need the server): test/integration/test_doc_examples.py runs every one.
"""

from __future__ import annotations

from typing import List, Optional

from . import naming
from .docs_index import DocsIndex
from .markdown import first_sentence
from .model_samples import keyword_arguments
from .operations import OperationDef, ParamDef
from .render_api import PACKAGE
from .samples import OperationSample, Samples

LOCAL_HOST = "http://127.0.0.1:28080/api/v1"  # test_doc_examples.py swaps the port for TITANIUM_AIRFLOW_PORT
BODY_INDENT = 8  # the statements of main(), inside ``async with``
LINE_LENGTH = 120  # the project's ruff line length, which formats the examples

_COMMENT_TYPES = {"datetime": "datetime", "list": "List[str]", "csv": "List[str]"}

TEMPLATE = """\
import asyncio
{imports}

# The project's local Airflow (`make up` starts it); see Configuration for every setting.
configuration = titanium_airflow_client.Configuration(
    host="{host}",
    username="admin",
    password="admin",
)


async def main() -> None:
    # Enter a context with an instance of the API client
    async with titanium_airflow_client.ApiClient(configuration) as api_client:
        # Create an instance of the API class
        api_instance = titanium_airflow_client.{api}(api_client)
{body}


asyncio.run(main())
"""


def _arguments(parts: List[str], explode: int) -> str:
    """Arguments of a call; from ``explode`` arguments on, one per line (ruff keeps a trailing comma's layout)."""
    if len(parts) < explode:
        return ", ".join(parts)
    return "\n" + "".join(f"    {part},\n" for part in parts)


def _commented(statement: str, comment: str) -> List[str]:
    """The statement with its comment at the end, or above it when the line would be too long."""
    last = statement.splitlines()[-1]
    if BODY_INDENT + len(last) + len(comment) + 4 <= LINE_LENGTH:
        return [f"{statement}  # {comment}"]
    return [f"# {comment}", statement]


class SampleMissing(Exception):
    """An operation's example lacks a value for a required parameter (spec/v1-samples.yaml)."""


def seed_type(op: OperationDef, param: ParamDef) -> str:
    """The seed pages' name of a body's type (``TitaniumDAGRun``), or "" where they use the plain one."""
    if op.operation_id in naming.SEED_BODY_PARAMETERS and f"Titanium{param.kind}" in naming.SEED_ALIASES:
        return f"Titanium{param.kind}"
    return ""


def sample_for(samples: Samples, op: OperationDef, variant: str) -> OperationSample:
    """The sample of an operation; its text variant ("_text") takes the operation's values, adjusted by the
    ``<id>_text`` entry, and prints the answer as it is."""
    own = samples.operations.get(op.operation_id)
    if own is None:
        raise SampleMissing(f"spec/v1-samples.yaml has no example for {op.operation_id}")
    if not variant:
        return own
    text = samples.operations.get(f"{op.operation_id}_text") or OperationSample()
    return OperationSample(
        args={**own.args, **text.args},
        code={**own.code, **text.code},
        setup=text.setup or own.setup,
        show=text.show or "print(api_response)",
        after=text.after,
        imports=[*own.imports, *text.imports],
        body_as_dict=own.body_as_dict,
    )


class ApiExamples:
    def __init__(self, index: DocsIndex, samples: Samples) -> None:
        self.index = index
        self.samples = samples

    def source(self, tag: str, op: OperationDef, variant: str = "") -> str:
        """The example of ``op``'s method on the tag's class; ``variant`` "_text" is the text/plain one."""
        sample = sample_for(self.samples, op, variant)
        api = naming.api_class(tag)
        method = op.operation_id + variant
        imports = ["from pprint import pprint", "", "import titanium_airflow_client", *sample.imports]
        # Literal values first, then the set-up (which may use them), then the values it looked up.
        literal: List[str] = []
        looked_up: List[str] = []
        positional, keywords = [], []
        for param in op.params:
            value = self._value(op, param, sample, imports)
            if value is None:
                if param.required:
                    raise SampleMissing(f"{op.operation_id}: no sample value for the required {param.name}")
                continue
            target = looked_up if param.name in sample.code else literal
            target += _commented(f"{param.name} = {value}", self._comment(op, param, sample))
            if param.required:
                positional.append(param.name)
            else:
                keywords.append(f"{param.name}={param.name}")
        body = literal + (sample.setup.splitlines() if sample.setup else []) + looked_up
        call = f"await api_instance.{method}({_arguments(positional + keywords, explode=5)})"
        body += ["", f"# {op.summary or method}"]
        if op.returns or variant:
            show = sample.show or "pprint(api_response)"
            body += [f"api_response = {call}", f'print("The response of {api}->{method}:\\n")', *show.splitlines()]
            body += sample.after.splitlines() if sample.after else []
        else:
            body.append(call)
        if not any("pprint(" in line for line in body):
            imports.remove("from pprint import pprint")
        return TEMPLATE.format(
            imports="\n".join(imports),
            host=LOCAL_HOST,
            api=api,
            body="\n".join(f"        {line}" if line else "" for line in "\n".join(body).splitlines()),
        )

    def _value(self, op: OperationDef, param: ParamDef, sample: OperationSample, imports: List[str]) -> Optional[str]:
        """The Python source of a parameter's value, or None when the example leaves it out."""
        if param.name in sample.code:
            return sample.code[param.name]
        if param.location == "body":
            values = sample.args.get(param.name, self.samples.requests.get(param.kind))
            if values is None:
                return None
            if sample.body_as_dict:
                return repr(values)
            imports.append(f"from {PACKAGE}.models.{self.index.models[param.kind].module} import {param.kind}")
            parts = keyword_arguments(self.index, self.index.models[param.kind], values)
            return f"{param.kind}({_arguments(parts, explode=3)})"
        if param.name in sample.args:
            return repr(sample.args[param.name])
        return None

    def _comment(self, op: OperationDef, param: ParamDef, sample: OperationSample) -> str:
        """``str | The DAG ID.``, as OpenAPI Generator comments each parameter of its examples."""
        description = first_sentence(param.description)
        if param.location == "body":
            seed = seed_type(op, param)
            kind = f"{param.kind} ({seed})" if seed else param.kind
            alternative = f"or {param.kind}(...)" if sample.body_as_dict else "or a dict with the same keys"
            description = f"{description} ({alternative})" if description else alternative
        else:
            kind = _COMMENT_TYPES.get(param.kind, param.kind)
        text = f"{kind} | {description}" if description else kind
        if not param.required:
            text += " (optional)"
            if param.default is not None:
                text += f" (default to {param.default!r})"
        return text
