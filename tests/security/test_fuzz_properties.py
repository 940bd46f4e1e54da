"""Property-based fuzzing (hypothesis) of the main forms and the services behind them.

Each property feeds arbitrary text (control characters, lone surrogates, payloads of the
bad-input corpus, very long strings) through the path a view takes: the form, then the
service with the form's cleaned data. Allowed outcomes are a form error or the service's
own refusal (``ValidationError`` and its documented domain errors); anything else fails.
Invariants: nothing stored holds a NUL or other control character, a refusal writes
nothing, a success writes exactly what it says. Every example runs in its own
transaction (hypothesis' Django ``TestCase``), so examples never see each other's rows.
"""

import os
import re

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from hiring.forms import CandidateForm, MoveForm, NoteForm
from hiring.models import Application, Candidate, Note, StageChange
from hiring.services import candidates as candidate_services
from hiring.services import pipeline as pipeline_services
from interviews import services as interview_services
from interviews.models import Scorecard
from interviews.services.scorecards import ScorecardConflict, ScorecardLocked
from tests.security.corpus import CORPUS
from tests.security.world import build_world

# Random examples on a developer's machine; the same examples on every CI run (no flaky builds).
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

# Any code point (lone surrogates included), the corpus's text values, and long runs.
any_char = st.characters(exclude_categories=())
text = st.one_of(
    st.text(any_char, max_size=200),
    st.sampled_from([value for value in CORPUS.values() if isinstance(value, str)]),
    st.builds(lambda s, n: s * n, st.text(any_char, min_size=1, max_size=3), st.integers(1, 30_000)),
)


def assert_usable(*values: str) -> None:
    for value in values:
        assert not UNUSABLE.search(value), repr(value[:80])


class FuzzFormsAndServices(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.side = cls.world.sides["A"]
        cls.admin = cls.world.users["admin"]

    @FUZZ
    @given(first=text, last=text, email=text, phone=text, location=text, links=text, source=text, tags=text)
    def test_candidate_create(self, first, last, email, phone, location, links, source, tags):
        data = {"first_name": first, "last_name": last, "email": email, "phone": phone, "location": location}
        data.update({"links": links, "source": source, "tags": tags})
        form = CandidateForm(data, jobs=None)
        before = Candidate.objects.count()
        if not form.is_valid():
            assert form.errors
            assert Candidate.objects.count() == before
            return
        cleaned = form.cleaned_data
        try:
            candidate = candidate_services.candidate_create(
                **{name: cleaned[name] for name in ("first_name", "last_name", "email", "phone", "location")},
                links=cleaned["links"],
                source=cleaned["source"],
                tags=cleaned["tags"],
                consent_at=cleaned["consent_at"],
                job=cleaned["job"],
                actor=self.admin,
            )
        except ValidationError:  # DuplicateCandidate included
            assert Candidate.objects.count() == before
            return
        candidate.refresh_from_db()
        assert Candidate.objects.count() == before + 1
        assert_usable(candidate.first_name, candidate.last_name, candidate.location, candidate.source, *candidate.links)
        assert_usable(*candidate.tags.values_list("name", flat=True))

    @FUZZ
    @given(body=text, about_the_application=st.booleans())
    def test_note_create(self, body, about_the_application):
        applications = Application.objects.filter(candidate=self.side.candidate)
        data = {"body": body, "application": self.side.application.pk if about_the_application else ""}
        form = NoteForm(data, applications=applications)
        before = Note.objects.count()
        if not form.is_valid():
            assert Note.objects.count() == before
            return
        try:
            note = candidate_services.note_create(
                candidate=self.side.candidate,
                author=self.admin,
                body=form.cleaned_data["body"],
                application=form.cleaned_data["application"],
            )
        except ValidationError:
            assert Note.objects.count() == before
            return
        assert Note.objects.count() == before + 1
        stored = Note.objects.get(pk=note.pk)
        assert_usable(stored.body)
        assert stored.application_id == (self.side.application.pk if about_the_application else None)

    @FUZZ
    @given(
        field=st.one_of(
            st.sampled_from(["key_takeaways", "private_note", "overall_recommendation", "evidence", "rating"]),
            st.text(max_size=30),
        ),
        value=text,
        version_shift=st.integers(-2, 2),
        base=text,
    )
    def test_scorecard_field_save(self, field, value, version_shift, base):
        card = Scorecard.objects.get(pk=self.side.scorecard.pk)
        rating = card.ratings.first()
        if field in ("evidence", "rating"):
            field = f"{field}-{rating.pk}"
        try:
            saved = interview_services.scorecard_field_save(
                scorecard_id=card.pk,
                user=card.interviewer,
                field=field,
                value=value,
                version=card.version + version_shift,
                base=base,
            )
        except (ValidationError, ScorecardConflict, ScorecardLocked, Scorecard.DoesNotExist):
            assert Scorecard.objects.get(pk=card.pk).version == card.version  # a refusal writes nothing
            return
        after = Scorecard.objects.get(pk=card.pk)
        assert after.version == card.version + 1 == saved.version
        assert_usable(saved.value)
        if field in ("key_takeaways", "private_note"):
            assert getattr(after, field) == saved.value
        elif field.startswith("evidence-"):
            assert after.ratings.get(pk=rating.pk).evidence == saved.value

    @FUZZ
    @given(
        stage_index=st.integers(0, 2),
        version_shift=st.integers(-1, 1),
        reason=text,
        to_stage=st.one_of(st.none(), text),
    )
    def test_application_move(self, stage_index, version_shift, reason, to_stage):
        application = Application.objects.select_related("job").get(pk=self.side.application.pk)
        stages = list(application.job.stages.order_by("order", "id"))
        target = stages[stage_index % len(stages)]
        data = {"to_stage": target.pk if to_stage is None else to_stage, "version": application.version + version_shift}
        data["reason"] = reason
        form = MoveForm(data)
        history = StageChange.objects.filter(application=application).count()
        if not form.is_valid():
            assert StageChange.objects.filter(application=application).count() == history
            return
        stage = application.job.stages.filter(pk=form.cleaned_data["to_stage"]).first()
        if stage is None:  # the view answers 404
            return
        try:
            moved = pipeline_services.application_move(
                application=application,
                to_stage=stage,
                actor=self.admin,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except (pipeline_services.MoveConflict, ValidationError):
            unchanged = Application.objects.get(pk=application.pk)
            assert (unchanged.stage_id, unchanged.version) == (application.stage_id, application.version)
            assert StageChange.objects.filter(application=application).count() == history
            return
        after = Application.objects.get(pk=application.pk)
        assert after.stage_id == stage.pk == moved.stage_id
        if stage.pk != application.stage_id:
            assert after.version == application.version + 1
            change = StageChange.objects.filter(application=application).latest("id")
            assert change.to_stage_id == stage.pk
            assert_usable(change.reason)
