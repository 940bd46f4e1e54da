"""The reports' hand-counted figures again on PostgreSQL: the SQL (window functions, JSON keys,
time arithmetic, the raw coincidence and stay queries) must answer the same as on SQLite."""

import pytest

from tests.interviews.test_reports_figures import (  # noqa: F401 -- the same tests, collected here
    pipeline,
    self_identified,
    test_adverse_impact_ratios_flag_and_fisher,
    test_calibration_leniency_spread_and_outcome_with_small_numbers_hidden,
    test_funnel_counts_each_stage_reached_and_the_pass_through,
    test_funnel_filters_by_source_family_and_dates,
    test_ordinal_alpha_matches_the_published_example,
    test_reliability_per_competency_from_the_database,
    test_sources_count_interviews_offers_and_hires,
    test_speed_medians_and_90th_percentiles,
    test_timeliness_per_interviewer_and_job,
)

pytestmark = pytest.mark.django_db


def test_the_database_is_postgresql():
    from django.db import connection

    assert connection.vendor == "postgresql"
