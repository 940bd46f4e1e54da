"""Building apply-form submissions in tests."""

import time

from django.core.files.uploadedfile import SimpleUploadedFile

from hiring.forms.careers import form_token

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def resume_file(name: str = "resume.pdf", data: bytes = PDF_BYTES, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def apply_data(posting, *, seconds_ago: float = 60, resume=None, answers: str = "yes", **overrides) -> dict:
    """A complete, valid apply form for ``posting`` (answers every question ``answers``)."""
    data = {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "grace@example.test",
        "phone": "+1 555 010 2000",
        "links": "https://example.test/grace",
        "cover_letter": "I would love to build your ML platform.",
        "consent": "on",
        "website": "",
        "form_token": form_token(posting.pk, started=time.time() - seconds_ago),
        "resume": resume if resume is not None else resume_file(),
    }
    for question in posting.questions.all():
        data[f"question_{question.pk}"] = answers if question.kind == "yes_no" else "An answer"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
