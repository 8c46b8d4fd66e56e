"""The replaced system's API paths, kept as its pages call them; and the OCR documents pages."""
from django.urls import path

from apps.ocr import pages, views

urlpatterns = [
    path("api/ocr/save/", views.OcrSaveView.as_view(), name="ocr-save"),
    path("api/ocr/documents/", views.OcrDocumentListView.as_view(), name="ocr-documents"),
    path("api/ocr/documents/<int:document_id>/", views.OcrDocumentDetailView.as_view(), name="ocr-document"),
    path("api/ocr/documents/<int:document_id>/status/", views.OcrDocumentStatusView.as_view(),
         name="ocr-document-status"),
    path("api/ocr/documents/<int:document_id>/retry/", views.OcrDocumentRetryView.as_view(),
         name="ocr-document-retry"),
    path("ocr/", pages.documents_page, name="ocr-documents-page"),
    path("ocr/<int:document_id>/", pages.document_page, name="ocr-document-page"),
]
