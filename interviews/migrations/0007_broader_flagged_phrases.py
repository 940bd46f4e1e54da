"""A broader default list of phrases that are not job-related evidence, each with its reason.

Adds the phrases below when missing (an admin's own wording of one is left alone). Three
defaults of the first list matched innocent words through their inflected forms ("age": "it
took ages", "ageing servers"; "family": "a family of models"; "kids" is now "kid", which also
finds "kids"); they are removed only while they still carry the reason the first list gave
them, i.e. nobody has edited them. Reversing removes what this migration added.
"""

from django.db import migrations, models

AGE = "Age is not evidence of ability and is a protected characteristic; describe what they did."
FAMILY = "Family and care duties are not job-related evidence and must not affect the decision."
PREGNANCY = "Pregnancy and parental leave are protected and must never enter an assessment."
APPEARANCE = "Appearance is not evidence of ability."
LANGUAGE = "Language origin is not job-related; note whether they were understood and how they explained."
OVERQUALIFIED = "Says nothing about the work; often a stand-in for age or salary assumptions."
CULTURE = "Vague and tends to favour people like the team; name the behaviour you saw instead."

PHRASES = [
    # age
    ("young", AGE),
    ("youngster", AGE),
    ("youthful", AGE),
    ("old for", AGE),
    ("older candidate", AGE),
    ("older person", AGE),
    ("years old", AGE),
    ("his age", AGE),
    ("her age", AGE),
    ("their age", AGE),
    ("set in their ways", AGE),
    ("recent graduate", AGE),
    ("recent grad", AGE),
    ("fresh graduate", AGE),
    # family
    ("kid", FAMILY),
    ("childcare", FAMILY),
    ("start a family", FAMILY),
    ("family commitments", FAMILY),
    ("family plans", FAMILY),
    ("pregnancy", PREGNANCY),
    ("paternity", PREGNANCY),
    ("parental leave", PREGNANCY),
    # appearance
    ("well-dressed", APPEARANCE),
    ("overweight", APPEARANCE),
    ("looks the part", APPEARANCE),
    # accent and language
    ("mother tongue", LANGUAGE),
    # overqualified
    ("over-qualified", OVERQUALIFIED),
    # culture fit
    ("cultural fit", CULTURE),
    ("fit the culture", CULTURE),
]

# Defaults of the first list (0003) replaced above, with the reason that list gave them.
RETIRED = [
    ("age", "Age is not evidence of ability and is a protected characteristic."),
    ("family", "Family circumstances are not job-related evidence."),
    ("kids", "Family and care duties are not job-related evidence."),
]


def broaden(apps, schema_editor):
    FlaggedPhrase = apps.get_model("interviews", "FlaggedPhrase")
    existing = set(FlaggedPhrase.objects.values_list("phrase", flat=True))
    FlaggedPhrase.objects.bulk_create(
        FlaggedPhrase(phrase=phrase, reason=reason) for phrase, reason in PHRASES if phrase not in existing
    )
    for phrase, reason in RETIRED:
        FlaggedPhrase.objects.filter(phrase=phrase, reason=reason).delete()


def narrow(apps, schema_editor):
    FlaggedPhrase = apps.get_model("interviews", "FlaggedPhrase")
    FlaggedPhrase.objects.filter(phrase__in=[p for p, _ in PHRASES]).delete()
    existing = set(FlaggedPhrase.objects.values_list("phrase", flat=True))
    FlaggedPhrase.objects.bulk_create(
        FlaggedPhrase(phrase=phrase, reason=reason) for phrase, reason in RETIRED if phrase not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("interviews", "0006_summary_build_claim")]

    operations = [
        migrations.AlterField(
            model_name="flaggedphrase",
            name="phrase",
            field=models.CharField(
                help_text=(
                    "Matched on whole words in any case; a hyphen also matches a space, and the last word's endings "
                    "-s, -es, -er, -est, -ed, -ing also match (young: younger, youngest). When a short word has "
                    "innocent forms (old: the oldest commit), enter a longer phrase instead (too old)."
                ),
                max_length=100,
                unique=True,
            ),
        ),
        migrations.RunPython(broaden, narrow),
    ]
