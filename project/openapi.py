"""OpenAPI schema tweaks shared by every app."""
from drf_spectacular.openapi import AutoSchema


class JobcastAutoSchema(AutoSchema):
    """Plain APIViews answering a collection at a path without parameters are lists.

    drf-spectacular names both `GET /things/` and `GET /things/{id}/` "…_retrieve" when the
    views are APIViews, and then renames them with numeral suffixes (check --deploy warns).
    """

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id()
        if operation_id.endswith("_retrieve") and "{" not in self.path and self.path.endswith("/"):
            return operation_id[: -len("_retrieve")] + "_list"
        return operation_id
