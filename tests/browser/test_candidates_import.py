"""A recruiter imports a CSV: maps columns, checks the preview, watches the import finish."""

from playwright.sync_api import expect

from tests.hiring.factories import CandidateFactory, JobFactory, RecruiterFactory, StageFactory

CSV = (
    "Full name,E-mail,Mobile,City,Tags\n"
    "Ada Lovelace,ada@example.test,+44 20 7946 0000,London,math;python\n"
    "Alan Turing,alan@example.test,,Manchester,\n"
    "Broken Row,not-an-email,,Paris,\n"
    "Too,many,columns,here,x,y\n"
    "Katherine Johnson,katherine@example.test,,Hampton,nasa\n"
)


def test_recruiter_imports_a_csv_and_sees_the_report(login, page, live_server, screenshot):
    job = JobFactory(title="Data Scientist")
    StageFactory(job=job, name="Applied", order=0)
    CandidateFactory(first_name="Ada", last_name="Lovelace", email="ada@example.test")
    login(RecruiterFactory())

    page.goto(f"{live_server.url}/hiring/candidates/")
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "candidates.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name="Upload and map columns").click()

    expect(page.get_by_role("heading", name="1. Which column holds what?")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("0")
    expect(page.locator("#id_email")).to_have_value("1")
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("Lovelace")
    expect(preview).to_contain_text("Enter a valid email address")
    expect(preview).to_contain_text("This row has 6 columns")
    page.get_by_label("Job", exact=True).select_option(label="Data Scientist")
    expect(preview).to_contain_text("Broken")  # the preview refreshed (HTMX) and kept the chosen job
    expect(page.get_by_label("Job", exact=True)).to_have_value(str(job.pk))
    screenshot("candidates-import-mapping")

    expect(page.locator("#import-summary")).to_contain_text("5 rows found: 3 ready to import, 2 with problems")
    page.get_by_role("button", name="Import 3 rows, skip 2").click()
    expect(page.locator("#import-counts")).to_contain_text("5 of 5 rows", timeout=15_000)
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    expect(page.locator("#import-counts")).to_contain_text(
        "2 new · 1 already on file · 2 with errors · applied to Data Scientist"
    )
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("Enter a valid email address")
    expect(errors).to_contain_text("columns")
    # Each bad row's content, column by column, to find it in the file.
    expect(errors).to_contain_text("Full name: Broken Row · E-mail: not-an-email · City: Paris")
    expect(errors).to_contain_text(
        "Full name: Too · E-mail: many · Mobile: columns · City: here · Tags: x · column 6: y"
    )
    screenshot("candidates-import-done")

    page.get_by_role("link", name="See the candidates").click()
    expect(page.get_by_role("link", name="Katherine Johnson")).to_be_visible()
