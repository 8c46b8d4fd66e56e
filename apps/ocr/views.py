"""The OCR endpoints its users already call. Thin: validate, call a service or selector, serialize."""
from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.jobs.parsers import SafeJSONParser
from apps.ocr import selectors, services
from apps.ocr.serializers import (
    OCR_ERROR,
    OcrDocumentAnswerSerializer,
    OcrDocumentListAnswerSerializer,
    OcrErrorSerializer,
    OcrSaveAnswerSerializer,
    OcrSaveSerializer,
    OcrStatusAnswerSerializer,
    document_payload,
    status_payload,
)


def _error(http_status: int, message: str, errors: dict | None = None) -> Response:
    body = {"status": "error", "message": message}
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=http_status)


def _not_found() -> Response:
    return _error(status.HTTP_404_NOT_FOUND, gettext("no such document"))


def _invalid(exc: ValidationError) -> Response:
    """The old `{"status": "error", "message"}` shape, with every offending field named in `errors`."""
    errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    message = "; ".join(f"{field}: {' '.join(str(m) for m in messages)}" for field, messages in errors.items())
    return _error(status.HTTP_400_BAD_REQUEST, message, errors)


class OcrSaveView(APIView):
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    @extend_schema(request=OcrSaveSerializer, responses={200: OcrSaveAnswerSerializer, 400: OCR_ERROR},
                   summary="Save OCR text (or a PDF's text layer) and start the extraction pipeline")
    def post(self, request):
        save = OcrSaveSerializer(data=request.data, context={"request": request})
        try:
            save.is_valid(raise_exception=True)
        except ValidationError as exc:
            return _invalid(exc)
        document = services.ocr_document_save(**save.validated_data)
        return Response({"status": "success", "message": gettext("saved; extraction started"), "document_id": document.pk,
                         "job_id": str(document.job_id)})


class OcrDocumentListView(APIView):
    @extend_schema(responses=OcrDocumentListAnswerSerializer, summary="Your OCR documents, newest first",
                   operation_id="ocr_documents_list")
    def get(self, request):
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.documents_visible_to(request.user), request, view=self)
        return Response({"status": "success", "count": paginator.page.paginator.count,
                         "next": paginator.get_next_link(), "previous": paginator.get_previous_link(),
                         "data": [document_payload(document, with_content=False) for document in page]})


class OcrDocumentDetailView(APIView):
    @extend_schema(responses={200: OcrDocumentAnswerSerializer, 404: OCR_ERROR},
                   summary="A document with its extracted data")
    def get(self, request, document_id: int):
        document = selectors.document_for_user(request.user, document_id)
        if document is None:
            return _not_found()
        return Response({"status": "success", "data": document_payload(document)})


class OcrDocumentStatusView(APIView):
    @extend_schema(responses={200: OcrStatusAnswerSerializer, 404: OCR_ERROR},
                   summary="Processing stage and percentage (and the job to watch)")
    def get(self, request, document_id: int):
        document = selectors.document_for_user(request.user, document_id)
        if document is None:
            return _not_found()
        return Response({"status": "success", "data": status_payload(document)})


class OcrDocumentRetryView(APIView):
    @extend_schema(request=None, responses={202: OcrStatusAnswerSerializer, 404: OCR_ERROR,
                                            409: OcrErrorSerializer},
                   summary="Retry a failed extraction: it resumes at the failed stage")
    def post(self, request, document_id: int):
        document = selectors.document_for_user(request.user, document_id)
        if document is None:
            return _not_found()
        try:
            document = services.ocr_document_retry(document=document)
        except services.DocumentConflict as exc:
            return _error(status.HTTP_409_CONFLICT, str(exc))
        return Response({"status": "success", "data": status_payload(document)}, status=status.HTTP_202_ACCEPTED)
