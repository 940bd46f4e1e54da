"""A starting list of phrases that are not job-related evidence (admins edit it later)."""

from django.db import migrations

PHRASES = [
    ("culture fit", "Vague and tends to favour people like the team; name the behaviour you saw instead."),
    ("not a fit", "A conclusion without evidence; describe what was missing for the role."),
    ("overqualified", "Says nothing about the work; often a stand-in for age or salary assumptions."),
    ("too old", "Age is not evidence of ability and is a protected characteristic."),
    ("too young", "Age is not evidence of ability and is a protected characteristic."),
    ("age", "Age is not evidence of ability and is a protected characteristic."),
    ("energetic", "Often a coded reference to age; describe the work itself."),
    ("digital native", "A coded reference to age; describe the skill you observed."),
    ("married", "Family status is not job-related and must not affect the decision."),
    ("children", "Family and care duties are not job-related evidence."),
    ("kids", "Family and care duties are not job-related evidence."),
    ("family", "Family circumstances are not job-related evidence."),
    ("pregnant", "Pregnancy is protected and must never enter an assessment."),
    ("maternity", "Parental leave is protected and must never enter an assessment."),
    ("attractive", "Appearance is not evidence of ability."),
    ("appearance", "Appearance is not evidence of ability."),
    ("good-looking", "Appearance is not evidence of ability."),
    ("accent", "Accent is not evidence of communication skill; note whether they were understood."),
    ("native speaker", "Language origin is not job-related; assess the communication the role needs."),
    ("religion", "Religion is protected and must not be part of the assessment."),
    ("church", "Religion is protected and must not be part of the assessment."),
    ("religious", "Religion is protected and must not be part of the assessment."),
    ("nationality", "National origin is protected and is not job-related."),
    ("disability", "Disability is protected; assess the work with any adjustments needed."),
    ("wheelchair", "Disability is protected; assess the work with any adjustments needed."),
    ("girl", "Gendered language; describe the work, not the person."),
    ("guy", "Gendered language; describe the work, not the person."),
    ("beer", "Whether you would socialise with someone is not job-related evidence."),
    ("gut feeling", "A feeling is not evidence; write down what they said or did."),
]


def seed(apps, schema_editor):
    FlaggedPhrase = apps.get_model("interviews", "FlaggedPhrase")
    existing = set(FlaggedPhrase.objects.values_list("phrase", flat=True))
    FlaggedPhrase.objects.bulk_create(
        FlaggedPhrase(phrase=phrase, reason=reason) for phrase, reason in PHRASES if phrase not in existing
    )


def unseed(apps, schema_editor):
    FlaggedPhrase = apps.get_model("interviews", "FlaggedPhrase")
    FlaggedPhrase.objects.filter(phrase__in=[p for p, _ in PHRASES]).delete()


class Migration(migrations.Migration):
    dependencies = [("interviews", "0002_scorecard_withdrawn_rating_not_assessed")]

    operations = [migrations.RunPython(seed, unseed)]
