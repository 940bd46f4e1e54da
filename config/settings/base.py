"""Settings shared by every environment.

Every value that differs between machines is read from the environment here,
once, with django-environ. ``local``, ``test`` and ``production`` only adjust.
"""

import warnings
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "django_celery_beat",
    "axes",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "hiring",
    "roles",
    "interviews",
]

MIDDLEWARE = [
    # First: the rest of the request runs in a fresh interpreter stack chunk (see the class).
    "hiring.middleware.FreshStackChunkMiddleware",
    "hiring.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "hiring.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a signed-in user unless it says otherwise with ``login_not_required``.
    # The second factor (django-otp): request.user.is_verified(), then who must give one.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "hiring.middleware.UserTimeZoneMiddleware",
    "hiring.middleware.TwoFactorMiddleware",
    # Who and from which address, for the audit trail (after authentication).
    "hiring.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "hiring.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "hiring.context_processors.navigation",
            ],
            "builtins": ["django.templatetags.static", "django_htmx.templatetags.django_htmx"],
        },
    }
]

# Database: a SQLite file by default, PostgreSQL (psycopg 3) when DATABASE_URL says so.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat share one file: wait for locks, take the
    # write lock at the start of a transaction and let readers run beside a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

AUTH_USER_MODEL = "hiring.User"
# Sessions are read from the cache (Redis in production) and written through to the database:
# no session query on most requests, and nobody is signed out when the cache is emptied.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's model backend; the signed-in user is loaded with their role in one query.
    "hiring.auth_backends.RoleModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account from
# one address, that pair is locked out for AXES_COOLOFF_MINUTES. Attempts live in the database
# (not the cache), so throttling holds while Redis is down. Admins unlock in the admin's
# "Access attempts" list (or `manage.py axes_reset_username EMAIL`).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "hiring.views.accounts.login_username"
AXES_LOCKOUT_CALLABLE = "hiring.views.accounts.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Whitenoise warns when collectstatic has not run; development serves from the finders.
warnings.filterwarnings("ignore", message="No directory at")
STORAGES = {
    "default": {"BACKEND": env("DEFAULT_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# With DEFAULT_FILE_STORAGE=storages.backends.s3.S3Storage (django-storages + boto3): the bucket and,
# for S3-compatible services, their address. boto3 reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
# from the environment itself.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
AWS_LOCATION = env("AWS_LOCATION", default="media")
AWS_DEFAULT_ACL = None  # objects stay private; résumés are served through the app
AWS_QUERYSTRING_AUTH = True  # any URL the storage hands out is signed and expires
AWS_S3_FILE_OVERWRITE = False  # an upload with a taken name gets a new name
RESUME_MAX_BYTES = env.int("RESUME_MAX_BYTES", default=5 * 1024 * 1024)
# Résumé text extraction: refuse files that would unpack or render into far more than they
# weigh (zip bombs, thousands of pages) before parsing them.
RESUME_MAX_UNCOMPRESSED_BYTES = env.int("RESUME_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024)
RESUME_MAX_ZIP_ENTRIES = env.int("RESUME_MAX_ZIP_ENTRIES", default=1_000)
RESUME_MAX_PDF_PAGES = env.int("RESUME_MAX_PDF_PAGES", default=50)
RESUME_MAX_TEXT_CHARS = env.int("RESUME_MAX_TEXT_CHARS", default=200_000)
RESUME_EXTRACT_SECONDS = env.float("RESUME_EXTRACT_SECONDS", default=20.0)
# A résumé still "pending" this long has its extraction sent again (a lost message), and one
# pending this long is marked "could not read" (hiring.tasks.resumes_sweep, every 5 minutes).
RESUME_STALE_AFTER_SECONDS = env.int("RESUME_STALE_AFTER_SECONDS", default=300)
RESUME_GIVE_UP_AFTER_SECONDS = env.int("RESUME_GIVE_UP_AFTER_SECONDS", default=3600)

# CSV imports of candidates: the largest file accepted, and the batches the import task works in
# (each batch commits its progress; the next batch is a new task run).
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
IMPORT_BATCH_ROWS = env.int("IMPORT_BATCH_ROWS", default=500)
# The sweeper re-enqueues imports that have made no progress for longer than this.
IMPORT_STALE_AFTER_SECONDS = env.int("IMPORT_STALE_AFTER_SECONDS", default=60)
# Test only: each import batch sleeps this long before it commits (the kill-the-worker test).
# Request bodies: a form's fields (files excluded) may hold this much; uploads larger than
# FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file; and a request whose Content-Length is
# above REQUEST_MAX_BYTES (the largest upload, a 5 MB résumé or CSV, plus room for the form)
# is refused with 413 before its body is read (hiring.middleware.RequestSizeLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=4 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=max(RESUME_MAX_BYTES, IMPORT_MAX_BYTES) + 1024 * 1024)

# Cache: local memory by default, Redis when REDIS_URL is set. The Redis backend degrades:
# when Redis is down a read is a miss and a write a no-op (logged), so pages still answer.
REDIS_URL = env("REDIS_URL", default="")
REDIS_CACHE = {
    "BACKEND": "hiring.cache.FailSoftRedisCache",
    "OPTIONS": {
        "socket_connect_timeout": env.float("REDIS_CACHE_TIMEOUT", default=0.5),
        "socket_timeout": env.float("REDIS_CACHE_TIMEOUT", default=0.5),
    },
}
if REDIS_URL:
    CACHES = {"default": {**REDIS_CACHE, "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered fragments of the heavy pages (roles/fragments.py), per viewer and data generation.
# The web server and the workers must share this cache (a worker's write makes fragments out of
# date): Redis when REDIS_URL is set, else files under var/ that every local process reads.
# FRAGMENT_CACHE_SECONDS bounds what changes with the clock alone; 0 turns the cache off.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=60)
if REDIS_URL:
    CACHES["fragments"] = {**REDIS_CACHE, "LOCATION": REDIS_URL, "KEY_PREFIX": "fragments"}
else:
    CACHES["fragments"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "fragments"),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }

# Email: printed to the console by default, SMTP (or any backend) through EMAIL_URL.
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Hiring <hiring@localhost>")
# Seconds before a silent mail server is given up on (the outbox then retries later).
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=30.0)

# The outbox (hiring/services/outbox.py): every email is a row, delivered after the commit.
# A failed send is retried after OUTBOX_RETRY_BASE_SECONDS, doubled per attempt up to
# OUTBOX_RETRY_MAX_SECONDS, at most OUTBOX_MAX_ATTEMPTS times; a claim older than
# OUTBOX_CLAIM_TIMEOUT_SECONDS (its worker died) is taken over. Keep the timeout above the
# outbox tasks' time limit (240 s), so a live worker's claim is never taken.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=30)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=6 * 3600)
OUTBOX_CLAIM_TIMEOUT_SECONDS = env.int("OUTBOX_CLAIM_TIMEOUT_SECONDS", default=300)

# Celery: kombu's server-less filesystem transport by default, Redis when set.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://localhost//")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"
    for _folder in (_queue_dir, _processed_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
else:
    # A broker that accepts connections but never answers must not hang a request: connect,
    # read and write each give up after a few seconds (the sweepers catch up later).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=3.0),
        "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=3.0),
    }
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=3.0)
# One quick retry when publishing, not Celery's default three (a request waits for them).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# No page reads task results: none are stored (tasks record what they did in their own rows).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# Email written to a candidate waits this long in the outbox, so the sender can undo it.
CANDIDATE_EMAIL_UNDO_SECONDS = env.int("CANDIDATE_EMAIL_UNDO_SECONDS", default=30)
# Periodic jobs: beat's database scheduler copies these entries into its table.
CELERY_BEAT_SCHEDULE: dict = {
    "hiring-outbox-sweep": {"task": "hiring.tasks.outbox_sweep", "schedule": 60.0},
    "hiring-webhooks-sweep": {"task": "hiring.tasks.webhooks_sweep", "schedule": 60.0},
    "interviews-summaries-sweep": {"task": "interviews.tasks.summaries_sweep", "schedule": 60.0},
    "hiring-imports-sweep": {"task": "hiring.tasks.candidate_imports_sweep", "schedule": 60.0},
    "hiring-resumes-sweep": {"task": "hiring.tasks.resumes_sweep", "schedule": 300.0},
    "hiring-offers-expire": {"task": "hiring.tasks.offers_expire", "schedule": 3600.0},
    "interviews-job-digests": {
        "task": "interviews.tasks.job_digests_send",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    "interviews-scorecard-reminders": {
        "task": "interviews.tasks.scorecard_reminders_send",
        "schedule": 15 * 60,
    },
    "interviews-report-snapshots": {
        "task": "interviews.tasks.report_snapshots_store",
        "schedule": crontab(minute=30, hour=2),
    },
    "hiring-retention": {"task": "hiring.tasks.retention_run", "schedule": crontab(minute=30, hour=2)},
}
# Report pages read last night's snapshot (and say "as of") instead of computing, for very large data.
REPORTS_FROM_SNAPSHOTS = env.bool("REPORTS_FROM_SNAPSHOTS", default=False)

# Feedback summaries (interviews/summaries/). The built-in summariser is the default;
# "llm" has a language model write the narrative (OpenAI-compatible chat completions).
SUMMARY_BACKEND = env.str("SUMMARY_BACKEND", default="builtin")
SUMMARY_LLM_URL = env.str("SUMMARY_LLM_URL", default="")  # e.g. http://127.0.0.1:8080/v1
SUMMARY_LLM_MODEL = env.str("SUMMARY_LLM_MODEL", default="")
SUMMARY_LLM_API_KEY = env.str("SUMMARY_LLM_API_KEY", default="")
SUMMARY_LLM_TIMEOUT = env.float("SUMMARY_LLM_TIMEOUT", default=15.0)
SUMMARY_LLM_RETRIES = env.int("SUMMARY_LLM_RETRIES", default=2)
# Seconds a rebuild waits after a request, so a burst of submissions gives one rebuild.
SUMMARY_DEBOUNCE_SECONDS = env.float("SUMMARY_DEBOUNCE_SECONDS", default=3.0)
# The sweeper re-enqueues summaries pending or outdated for longer than this.
SUMMARY_STALE_AFTER_SECONDS = env.int("SUMMARY_STALE_AFTER_SECONDS", default=180)
# ...and looks back this far for submitted scorecards changed without a summary request.
SUMMARY_SWEEP_WINDOW_HOURS = env.int("SUMMARY_SWEEP_WINDOW_HOURS", default=24)
# Hours after an interview ends before its draft scorecard is overdue: its interviewer is
# reminded, and the board, the job page and My interviews mark it.
SCORECARD_REMINDER_HOURS = env.int("SCORECARD_REMINDER_HOURS", default=2)

# Careers site (public postings and the apply form, hiring/views/careers.py).
CAREERS_COMPANY_NAME = env.str("CAREERS_COMPANY_NAME", default="Structured Hiring")
# The privacy notice applicants consent to; raise the version whenever its text changes.
PRIVACY_NOTICE_VERSION = env.str("PRIVACY_NOTICE_VERSION", default="2026-01")
# Applications accepted per client IP address and per email address in each window.
CAREERS_APPLY_LIMIT_PER_IP = env.int("CAREERS_APPLY_LIMIT_PER_IP", default=20)
CAREERS_APPLY_LIMIT_PER_EMAIL = env.int("CAREERS_APPLY_LIMIT_PER_EMAIL", default=5)
CAREERS_APPLY_LIMIT_WINDOW_SECONDS = env.int("CAREERS_APPLY_LIMIT_WINDOW_SECONDS", default=3600)
# A form sent back sooner than this after it was shown is refused (people take longer than bots).
CAREERS_MIN_FILL_SECONDS = env.int("CAREERS_MIN_FILL_SECONDS", default=3)
# Reverse proxies in front of the web servers that append to X-Forwarded-For (0: use REMOTE_ADDR).
CAREERS_PROXY_COUNT = env.int("CAREERS_PROXY_COUNT", default=0)
# How long the status link in the confirmation email works.
CAREERS_STATUS_LINK_DAYS = env.int("CAREERS_STATUS_LINK_DAYS", default=365)
# Voluntary self-identification (US EEO-1 style). Every question is optional and offers
# "I don't wish to answer"; answers are admin-only and used in aggregate reports.
SELF_ID_DECLINED = "declined"
CAREERS_SELF_ID_QUESTIONS: list[dict] = [
    {
        "key": "gender",
        "label": "Gender",
        "choices": [["female", "Female"], ["male", "Male"], ["another", "Another gender identity"]],
    },
    {
        "key": "race_ethnicity",
        "label": "Race or ethnicity",
        "choices": [
            ["hispanic_latino", "Hispanic or Latino"],
            ["white", "White"],
            ["black", "Black or African American"],
            ["pacific_islander", "Native Hawaiian or Other Pacific Islander"],
            ["asian", "Asian"],
            ["native_american", "American Indian or Alaska Native"],
            ["two_or_more", "Two or more races"],
        ],
    },
    {
        "key": "veteran",
        "label": "Veteran status",
        "choices": [
            ["protected_veteran", "I identify as one or more of the classifications of protected veteran"],
            ["not_veteran", "I am not a protected veteran"],
        ],
    },
    {
        "key": "disability",
        "label": "Disability",
        "choices": [
            ["yes", "Yes, I have a disability (or previously had one)"],
            ["no", "No, I do not have a disability"],
        ],
    },
]

# Content-Security-Policy, the same in every environment so that a violation shows while
# developing. Scripts and styles come from our own static files only: no inline code, no
# eval (htmx is configured for this in base.html). A <script> may carry {{ csp_nonce }}.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The public API (/api/v1/, Django REST framework; config/api.py). Requests sign in with a
# personal token (Authorization: Bearer ...) or the browser's session (with its CSRF token).
# Each token (or signed-in user) may make API_RATE_LIMIT requests, counted in the cache.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/minute")
# A new personal token expires after this many days unless its owner chooses otherwise.
API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=90)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=366)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hiring.apikit.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["hiring.apikit.TokenScope"],
    "DEFAULT_PAGINATION_CLASS": "hiring.apikit.CursorPage",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["hiring.apikit.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_RATE_LIMIT},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "hiring.apikit.error_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Structured hiring API",
    "DESCRIPTION": "Jobs, candidates, applications, interviews, scorecards and summaries. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {"RatingEnum": "roles.scale.Rating"},
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": [
        "hiring.apikit.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hiring.api.document_errors",
    ],
}

# Outgoing webhooks (hiring/services/webhooks.py): each event is a row per endpoint written with
# the change, delivered after the commit, signed per Standard Webhooks. A failed delivery is
# retried after WEBHOOK_RETRY_BASE_SECONDS, doubled per attempt up to WEBHOOK_RETRY_MAX_SECONDS,
# for WEBHOOK_RETRY_HOURS; an endpoint failing WEBHOOK_DISABLE_AFTER_FAILURES times in a row (or
# whose delivery ran out of retries) is disabled and the admins are emailed.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_RETRY_BASE_SECONDS = env.int("WEBHOOK_RETRY_BASE_SECONDS", default=30)
WEBHOOK_RETRY_MAX_SECONDS = env.int("WEBHOOK_RETRY_MAX_SECONDS", default=4 * 3600)
WEBHOOK_RETRY_HOURS = env.int("WEBHOOK_RETRY_HOURS", default=24)
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=15)
WEBHOOK_CLAIM_TIMEOUT_SECONDS = env.int("WEBHOOK_CLAIM_TIMEOUT_SECONDS", default=300)

# The demo data, one step per app in the order of the layers (``manage.py seed_demo``). Named
# here, above the apps, so that hiring's command never names the app above it.
DEMO_SEED_STEPS = ["roles.demo.seed", "hiring.demo.seed", "interviews.demo.seed"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Logs go to stderr: plain lines by default, one JSON object per line with LOG_FORMAT=json
# (production's default). Every line carries the request id (X-Request-ID) of its request.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "hiring.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "hiring.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# Two-factor sign-in (django-otp). When on, admins must sign in with a code from an authenticator
# app (or a recovery code), and so must everyone entering the Django admin; people who set it up
# for themselves are always asked. On in production.
TWO_FACTOR_REQUIRED_FOR_ADMINS = env.bool("TWO_FACTOR_REQUIRED_FOR_ADMINS", default=False)
# The issuer name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Structured hiring")
