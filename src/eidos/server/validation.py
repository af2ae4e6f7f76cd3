"""``POST /v1/validate``: a recipe and snapshots in, the validation report out (JSON).

The body is one document, JSON or YAML (detected from the content), the envelope::

    kind: ValidationRequest            # optional
    apiVersion: validation.dgxc.io/v1  # optional
    recipe: {kind: Recipe, ...}        # a Recipe document
    snapshots: [{kind: Snapshot, ...}, {kind: SnapshotList, ...}]
    failOn: error                      # optional: error | warning | skip

Bodies past :data:`MAX_BODY_BYTES` are refused (413) before they are read whole. Decoding
and evaluating run on a worker thread so the event loop keeps serving; at most
:data:`MAX_RUNNING` validations run at once and more are answered 429 with Retry-After.
The report is ``200`` whether the nodes pass or fail: its ``result`` says which.
"""

from __future__ import annotations

import threading
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from eidos.errors import InvalidRequestError, PayloadTooLargeError, RateLimitError
from eidos.model import KIND_SNAPSHOT_LIST, DocumentError, Recipe, Snapshot, SnapshotList
from eidos.names import FAIL_ON
from eidos.serializer import loads
from eidos.serializer.limits import MAX_DOCUMENT_BYTES
from eidos.server.responses import JSON, error_response, json_bytes, utc_timestamp
from eidos.validate import validate
from eidos.validate.inputs import NodeInput, nodes_from_document
from eidos.validate.report import API_VERSION

__all__ = ["ENVELOPE_FIELDS", "KIND_REQUEST", "MAX_BODY_BYTES", "MAX_RUNNING", "ValidateHandler"]

KIND_REQUEST = "ValidationRequest"
#: Largest request body, in bytes (the limit of every document eidos reads).
MAX_BODY_BYTES = MAX_DOCUMENT_BYTES
#: Validations evaluated at once per process; more get 429 with Retry-After: 1.
MAX_RUNNING = 2
ENVELOPE_FIELDS = ("kind", "apiVersion", "recipe", "snapshots", "failOn")


def _invalid(message: str, field: str) -> InvalidRequestError:
    return InvalidRequestError(message, details={"field": field})


def _recipe(raw: Any) -> Recipe:
    try:
        return Recipe.from_dict(raw)
    except DocumentError as exc:
        raise _invalid(f"recipe: {exc}", "recipe") from None


def _checked(doc: Any, i: int) -> list[NodeInput]:
    """The nodes of ``snapshots[i]``, every reading checked (the CLI checks only the frame)."""
    where = f"snapshots[{i}]"
    nodes = list(nodes_from_document(doc, where))
    try:
        if doc.get("kind") == KIND_SNAPSHOT_LIST:
            SnapshotList.from_dict(doc)
        else:
            Snapshot.from_dict(doc)
    except DocumentError as exc:
        raise _invalid(f"{where}: {exc}", "snapshots") from None
    return nodes


def evaluate(body: bytes) -> bytes:
    """Decode the envelope, validate, encode the report (runs on a worker thread).

    Raises:
        InvalidRequestError: a body that is not a valid envelope (names the field).
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRequestError("the request body is not valid UTF-8") from None
    raw = loads(text, origin="request body")
    if not isinstance(raw, dict):
        raise InvalidRequestError(
            "the request body must be a mapping with recipe and snapshots (docs/api.md)"
        )
    unknown = sorted(str(k) for k in raw if k not in ENVELOPE_FIELDS)
    if unknown:
        raise _invalid(
            f"unknown field(s) {', '.join(unknown)}; valid: {', '.join(ENVELOPE_FIELDS)}",
            unknown[0],
        )
    if raw.get("kind", KIND_REQUEST) != KIND_REQUEST:
        raise _invalid(f"kind must be {KIND_REQUEST}, got {raw.get('kind')!r}", "kind")
    if raw.get("apiVersion", API_VERSION) != API_VERSION:
        raise _invalid(
            f"apiVersion must be {API_VERSION}, got {raw.get('apiVersion')!r}", "apiVersion"
        )
    fail_on = raw.get("failOn", FAIL_ON[0])
    if fail_on not in FAIL_ON:
        raise _invalid(f"invalid failOn {fail_on!r}; valid values: {', '.join(FAIL_ON)}", "failOn")
    if "recipe" not in raw:
        raise _invalid("missing recipe: the Recipe document to validate against", "recipe")
    recipe = _recipe(raw["recipe"])
    snapshots = raw.get("snapshots")
    if not isinstance(snapshots, list) or not snapshots:
        raise _invalid(
            "snapshots must be a non-empty list of Snapshot or SnapshotList documents",
            "snapshots",
        )
    nodes = [node for i, doc in enumerate(snapshots) for node in _checked(doc, i)]
    report = validate(
        recipe, nodes, fail_on=fail_on, recipe_origin="request", timestamp=utc_timestamp()
    )
    return json_bytes(report.to_dict())


class ValidateHandler:
    """The route's handler: bounded body, bounded concurrency, work off the event loop."""

    def __init__(self, *, max_body: int = MAX_BODY_BYTES, max_running: int = MAX_RUNNING) -> None:
        self.max_body = max_body
        self.max_running = max_running
        self._running = 0
        self._lock = threading.Lock()

    async def _body(self, request: Request) -> bytes:
        limit = f"the request body is larger than {self.max_body} bytes (the limit)"
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            raise PayloadTooLargeError(limit, details={"limitBytes": self.max_body})
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body:
                raise PayloadTooLargeError(limit, details={"limitBytes": self.max_body})
            chunks.append(chunk)
        return b"".join(chunks)

    def _run(self, body: bytes) -> bytes:
        try:
            return evaluate(body)
        finally:
            with self._lock:
                self._running -= 1

    async def handle(self, request: Request) -> Response:
        """Answer one ``POST /v1/validate``."""
        body = await self._body(request)
        with self._lock:
            busy = self._running >= self.max_running
            if not busy:
                self._running += 1  # released by the worker, even if the request times out
        if busy:
            failure = RateLimitError(
                f"{self.max_running} validations are running; retry in a second",
                details={"retryAfterSeconds": 1},
            )
            state = request.scope.get("state") or {}
            return error_response(failure, state.get("request_id"), {"Retry-After": "1"})
        out = await run_in_threadpool(self._run, body)
        return Response(out, media_type=JSON, headers={"Cache-Control": "no-store"})
