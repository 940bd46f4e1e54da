"""On PostgreSQL: a stalled mail server and a stalled language model hold no transaction and
no row lock, so an autosave and a board move of the same application answer in under a second."""

from tests.interviews.stalls import BUDGET, run_scenario


def test_autosave_and_board_move_stay_fast_while_mail_and_the_language_model_stall(transactional_db, settings):
    timings = run_scenario(settings)

    assert max(timings.values()) < BUDGET
