from interviews.models import CompetencyRating, Scorecard
from tests.interviews.factories import application_with_scorecards


def test_application_with_scorecards_builds_submitted_cards_over_competencies(db):
    built = application_with_scorecards(interviewers=3, competencies=4)

    assert Scorecard.objects.filter(interview__application=built.application, status="submitted").count() == 3
    assert CompetencyRating.objects.filter(scorecard__interview__application=built.application).count() == 12
    assert len({r.rating for r in CompetencyRating.objects.all()}) > 1
