"""drf-spectacular post-processing: the schema says what the API really answers (issue 16.11).

- Every operation documents its error answers: 400 (a bad query parameter: `limit`, `offset`,
  `as_of`...) and, with a path parameter, 404; both `{"detail": ...}` or a field -> messages map.
- Times of day (`start_time`) are local wall-clock times ("14:00:00", Europe/London) without an
  offset, which is not JSON Schema's `time` format: a pattern says what they are.
"""

from __future__ import annotations

ERROR = {
    "type": "object",
    "description": "What was wrong: {'detail': message} or {parameter: [messages]}.",
    "additionalProperties": True,
}
LOCAL_TIME = {
    "type": "string",
    "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
    "description": "Local time of day (Europe/London), HH:MM:SS.",
}


def _fix_times(node) -> None:
    if isinstance(node, dict):
        if node.get("format") == "time":
            node.pop("format")
            for key, value in LOCAL_TIME.items():
                node.setdefault(key, value)
        for value in node.values():
            _fix_times(value)
    elif isinstance(node, list):
        for value in node:
            _fix_times(value)


def document_errors(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR)
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            responses.setdefault(
                "400",
                {
                    "description": "A query parameter is not valid.",
                    "content": {"application/json": {"schema": ref}},
                },
            )
            if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                responses.setdefault(
                    "404",
                    {
                        "description": "No such object (or not visible to you).",
                        "content": {"application/json": {"schema": ref}},
                    },
                )
    _fix_times(result)
    return result
