"""`POST /v1/workflows/reprocess` and `GET /v1/workflows/{execution_id}`: start the
reprocess workflow and follow it."""

import json
import uuid
from http import HTTPStatus
from typing import Annotated, Any, NotRequired

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Path as PathParameter
from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from aws_lambda_powertools.metrics import MetricUnit
from shared.results import timestamp
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from api import runtime
from api.bodies import openapi_body, validate_body
from api.errors import ApiError, documented_responses, invalid

router = APIGatewayRouter()

REPROCESS = "/v1/workflows/reprocess"
WORKFLOW = "/v1/workflows/<execution_id>"
# Step Functions execution names: at most 80 of these characters.
EXECUTION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,80}$"
# Step Functions refuses a larger execution input (256 KiB).
MAX_EXECUTION_INPUT_BYTES = 256 * 1024


class WorkflowStarted(TypedDict):
    execution_id: str


class WorkflowStatus(TypedDict):
    execution_id: str
    status: str
    started_at: str
    stopped_at: NotRequired[str]
    summary: NotRequired[Any]
    error: NotRequired[str]
    cause: NotRequired[str]


def execution_arn(state_machine_arn: str, execution_id: str) -> str:
    """`execution_id` is the execution's name; its ARN follows from the state machine's.

    Example:
        >>> execution_arn("arn:aws:states:eu-west-1:123456789012:stateMachine:reprocess", "e1")
        'arn:aws:states:eu-west-1:123456789012:execution:reprocess:e1'
    """
    prefix, _, name = state_machine_arn.rpartition(":stateMachine:")
    return f"{prefix}:execution:{name}:{execution_id}"


def _require_incoming(field: str, key: str, incoming_prefix: str) -> None:
    # The workflow may only read under the incoming prefix; say so before it fails there.
    if not key.startswith(incoming_prefix):
        raise invalid(field, f"must start with {incoming_prefix!r}")


def _sibling_path(name: str) -> str:
    """The request's path with its last segment replaced, as the client called it: with
    the stage on the execute-api endpoint, without it on a custom domain."""
    called = router.current_event.request_context.path or router.current_event.path
    return f"{called.rpartition('/')[0]}/{name}"


@router.post(
    REPROCESS,
    summary="Reprocess a prefix or a list of objects",
    description=(
        "Starts the reprocess workflow. `execution_id` is the execution's name; "
        "poll GET /v1/workflows/{execution_id} for its status."
    ),
    responses=documented_responses(202, WorkflowStarted, "The workflow was started", 400),
)
def start_reprocess(
    body: Annotated[dict[str, Any], openapi_body("reprocess_request.json")],
) -> Response[WorkflowStarted]:
    settings = runtime.settings()
    validate_body("reprocess", body)
    if "prefix" in body:
        _require_incoming("body.prefix", body["prefix"], settings.incoming_prefix)
    for index, key in enumerate(body.get("object_keys", [])):
        _require_incoming(f"body.object_keys.{index}", key, settings.incoming_prefix)
    api_key_id = router.current_event.request_context.identity.api_key_id
    workflow_input = {
        **body,
        "requested_by": body.get("requested_by") or f"api-key:{api_key_id or 'unknown'}",
    }
    serialized = json.dumps(workflow_input, separators=(",", ":"))
    if len(serialized.encode()) > MAX_EXECUTION_INPUT_BYTES:
        raise invalid(
            "body.object_keys",
            f"is too large for one workflow run (at most {MAX_EXECUTION_INPUT_BYTES} bytes "
            "of JSON): split the list, or reprocess a prefix",
        )
    execution_id = str(uuid.uuid4())
    runtime.stepfunctions().start_execution(
        stateMachineArn=settings.state_machine_arn, name=execution_id, input=serialized
    )
    runtime.logger.info(
        "Started reprocessing",
        extra={"execution_id": execution_id, "requested_by": workflow_input["requested_by"]},
    )
    runtime.metrics.add_metric(name="WorkflowsStarted", unit=MetricUnit.Count, value=1)
    return Response(
        status_code=int(HTTPStatus.ACCEPTED),
        content_type=content_types.APPLICATION_JSON,
        body=WorkflowStarted(execution_id=execution_id),
        headers={"Location": _sibling_path(execution_id)},
    )


@router.get(
    WORKFLOW,
    summary="Read a workflow's status and, once it succeeded, its summary",
    responses=documented_responses(200, WorkflowStatus, "The execution's status", 400, 404),
)
def get_workflow(
    execution_id: Annotated[
        str,
        PathParameter(
            pattern=EXECUTION_ID_PATTERN,
            description="As returned by POST /v1/workflows/reprocess",
        ),
    ],
) -> WorkflowStatus:
    settings = runtime.settings()
    client = runtime.stepfunctions()
    try:
        execution = client.describe_execution(
            executionArn=execution_arn(settings.state_machine_arn, execution_id)
        )
    except client.exceptions.ExecutionDoesNotExist:
        raise ApiError(HTTPStatus.NOT_FOUND, f"No workflow with id {execution_id}") from None
    status = WorkflowStatus(
        execution_id=execution_id,
        status=execution["status"],
        started_at=timestamp(execution["startDate"]),
    )
    if "stopDate" in execution:
        status["stopped_at"] = timestamp(execution["stopDate"])
    if execution["status"] == "SUCCEEDED" and "output" in execution:
        status["summary"] = json.loads(execution["output"])
    for field in ("error", "cause"):
        if field in execution:
            status[field] = execution[field]
    return status
