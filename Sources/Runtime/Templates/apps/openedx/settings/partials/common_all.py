{# Settings shared by the LMS and the CMS (Studio), included by lms/ and cms/production.py. #}
####### Common to LMS and CMS

import json

from xmodule.modulestore.modulestore_settings import update_module_store_settings

# Bind the FEATURES proxy to this module, so that flat feature settings and
# legacy FEATURES["..."] reads and writes both land here.
try:
    from openedx.core.lib.features_setting_proxy import FeaturesProxy
    FEATURES = FeaturesProxy(globals())
except ImportError:
    pass

# MongoDB: every connection (modulestore, contentstore) uses these parameters.
mongodb_parameters = {
    "db": "{{ MONGODB_DATABASE }}",
    "host": "{{ MONGODB_HOST }}",
    "port": {{ MONGODB_PORT }},
    "user": {% if MONGODB_USERNAME %}"{{ MONGODB_USERNAME }}"{% else %}None{% endif %},
    "password": {% if MONGODB_PASSWORD %}"{{ MONGODB_PASSWORD }}"{% else %}None{% endif %},
    "connect": False,
    "ssl": {% if MONGODB_USE_SSL %}True{% else %}False{% endif %},
    "authsource": "{{ MONGODB_AUTH_SOURCE }}",
    "replicaSet": {% if MONGODB_REPLICA_SET %}"{{ MONGODB_REPLICA_SET }}"{% else %}None{% endif %},
    {%- if MONGODB_AUTH_MECHANISM %}
    "authMechanism": "{{ MONGODB_AUTH_MECHANISM }}",
    {%- endif %}
}
DOC_STORE_CONFIG = mongodb_parameters
CONTENTSTORE = {
    "ENGINE": "xmodule.contentstore.mongo.MongoContentStore",
    "ADDITIONAL_OPTIONS": {},
    "DOC_STORE_CONFIG": DOC_STORE_CONFIG,
}
update_module_store_settings(MODULESTORE, doc_store_settings=DOC_STORE_CONFIG)
DATA_DIR = "/openedx/data/modulestore"
for store in MODULESTORE["default"]["OPTIONS"]["stores"]:
    store["OPTIONS"]["fs_root"] = DATA_DIR

# Meilisearch
MEILISEARCH_ENABLED = True
MEILISEARCH_URL = "{{ MEILISEARCH_URL }}"
MEILISEARCH_PUBLIC_URL = "{{ MEILISEARCH_PUBLIC_URL }}"
MEILISEARCH_INDEX_PREFIX = "{{ MEILISEARCH_INDEX_PREFIX }}"
MEILISEARCH_API_KEY = "{{ MEILISEARCH_API_KEY }}"
MEILISEARCH_MASTER_KEY = "{{ MEILISEARCH_MASTER_KEY }}"
SEARCH_ENGINE = "search.meilisearch.MeilisearchEngine"

# Caches: all of them live in the same redis database.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True  # behave like memcache on connection errors
_redis_cache_location = "redis://{% if REDIS_USERNAME and REDIS_PASSWORD %}{{ REDIS_USERNAME }}:{{ REDIS_PASSWORD }}{% endif %}@{{ REDIS_HOST }}:{{ REDIS_PORT }}/{{ OPENEDX_CACHE_REDIS_DB }}"
CACHES = {
    "default": {"KEY_PREFIX": "default", "VERSION": "1"},
    "general": {"KEY_PREFIX": "general"},
    "mongo_metadata_inheritance": {"KEY_PREFIX": "mongo_metadata_inheritance", "TIMEOUT": 300},
    "configuration": {"KEY_PREFIX": "configuration"},
    "celery": {"KEY_PREFIX": "celery", "TIMEOUT": 7200},
    "course_structure_cache": {"KEY_PREFIX": "course_structure", "TIMEOUT": 604800},  # 1 week
    "ora2-storage": {"KEY_PREFIX": "ora2-storage"},
}
for _cache in CACHES.values():
    _cache["BACKEND"] = "django_redis.cache.RedisCache"
    _cache["LOCATION"] = _redis_cache_location

# Site 1 is usually example.com: the LMS site is the next one.
SITE_ID = 2

# Contact addresses: each one can be set in the env.yml file, and falls back
# to CONTACT_EMAIL.
CONTACT_MAILING_ADDRESS = "{{ PLATFORM_NAME }} - {% if ENABLE_HTTPS %}https{% else %}http{% endif %}://{{ LMS_HOST }}"
for _setting in [
    "DEFAULT_FROM_EMAIL",
    "DEFAULT_FEEDBACK_EMAIL",
    "SERVER_EMAIL",
    "TECH_SUPPORT_EMAIL",
    "CONTACT_EMAIL",
    "BUGS_EMAIL",
    "UNIVERSITY_EMAIL",
    "PRESS_EMAIL",
    "PAYMENT_SUPPORT_EMAIL",
    "BULK_EMAIL_DEFAULT_FROM_EMAIL",
    "API_ACCESS_MANAGER_EMAIL",
    "API_ACCESS_FROM_EMAIL",
]:
    globals()[_setting] = ENV_TOKENS.get(_setting, ENV_TOKENS["CONTACT_EMAIL"])

# The courseware student module history database (CSMH) is not used.
INSTALLED_APPS.remove("lms.djangoapps.coursewarehistoryextended")
DATABASE_ROUTERS.remove(
    "openedx.core.lib.django_courseware_routers.StudentModuleHistoryExtendedRouter"
)

# Uploaded media, videos and grade reports
MEDIA_ROOT = "/openedx/media/"
VIDEO_IMAGE_SETTINGS["STORAGE_KWARGS"]["location"] = MEDIA_ROOT
VIDEO_TRANSCRIPTS_SETTINGS["STORAGE_KWARGS"]["location"] = MEDIA_ROOT
GRADES_DOWNLOAD = {
    "STORAGE_TYPE": "",
    "STORAGE_KWARGS": {
        "base_url": "/media/grades/",
        "location": "/openedx/media/grades",
    },
}

# Open Response Assessments (ORA2) file uploads
ORA2_FILEUPLOAD_BACKEND = "filesystem"
ORA2_FILEUPLOAD_ROOT = "/openedx/data/ora2"
FILE_UPLOAD_STORAGE_BUCKET_NAME = "openedxuploads"
ORA2_FILEUPLOAD_CACHE_NAME = "ora2-storage"

# Logging: syslog does not exist in containers, write to files instead.
LOGGING["handlers"]["local"] = {
    "class": "logging.handlers.WatchedFileHandler",
    "filename": os.path.join(LOG_DIR, "all.log"),
    "formatter": "standard",
}
LOGGING["handlers"]["tracking"] = {
    "level": "DEBUG",
    "class": "logging.handlers.WatchedFileHandler",
    "filename": os.path.join(LOG_DIR, "tracking.log"),
    "formatter": "standard",
}
LOGGING["loggers"]["tracking"]["handlers"] = ["console", "local", "tracking"]
LOGGING["loggers"]["blockstore.apps.bundles.storage"] = {"handlers": ["console"], "level": "WARNING"}

# Quieten deprecation warnings that show up in every management command.
import warnings
try:
    from django.utils.deprecation import RemovedInDjango50Warning, RemovedInDjango51Warning
    warnings.filterwarnings("ignore", category=RemovedInDjango50Warning)
    warnings.filterwarnings("ignore", category=RemovedInDjango51Warning)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="pgpy.constants")
except ImportError:
    pass

# Email: ACE (automated communication engine) messages go through Django.
EMAIL_USE_SSL = {% if SMTP_USE_SSL %}True{% else %}False{% endif %}
ACE_ENABLED_CHANNELS = ["django_email"]
ACE_CHANNEL_DEFAULT_EMAIL = "django_email"
ACE_CHANNEL_TRANSACTIONAL_EMAIL = "django_email"
EMAIL_FILE_PATH = "/tmp/openedx/emails"

LANGUAGE_COOKIE_NAME = "openedx-language-preference"

# The platform may embed itself in an iframe.
X_FRAME_OPTIONS = "SAMEORIGIN"

# Session and CSRF cookies
{%- if ENABLE_HTTPS %}
# Secure cookies: Chrome requires them for samesite=none.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "None"
{%- else %}
# Without secure cookies, samesite=none is not possible.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_SAMESITE = "Lax"
{%- endif %}

# JWT: the signing key pair is derived from the RSA private key (PEM) at start-up.
def _rsa_jwks(pem):
    import base64
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    def b64(number):
        raw = number.to_bytes(max(1, (number.bit_length() + 7) // 8), "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    private = load_pem_private_key(pem.encode("ascii"), password=None).private_numbers()
    public = {"kid": "openedx", "kty": "RSA", "e": b64(private.public_numbers.e), "n": b64(private.public_numbers.n)}
    return dict(
        public,
        d=b64(private.d),
        p=b64(private.p),
        q=b64(private.q),
        dp=b64(private.dmp1),
        dq=b64(private.dmq1),
        qi=b64(private.iqmp),
    ), public

_jwt_private_jwk, _jwt_public_jwk = _rsa_jwks("""{{ JWT_RSA_PRIVATE_KEY }}""")
JWT_AUTH["JWT_ISSUER"] = "{{ JWT_COMMON_ISSUER }}"
JWT_AUTH["JWT_AUDIENCE"] = "{{ JWT_COMMON_AUDIENCE }}"
JWT_AUTH["JWT_SECRET_KEY"] = "{{ JWT_COMMON_SECRET_KEY }}"
JWT_AUTH["JWT_PRIVATE_SIGNING_JWK"] = json.dumps(_jwt_private_jwk)
JWT_AUTH["JWT_PUBLIC_SIGNING_JWK_SET"] = json.dumps({"keys": [_jwt_public_jwk]})
JWT_AUTH["JWT_ISSUERS"] = [
    {
        "ISSUER": "{{ JWT_COMMON_ISSUER }}",
        "AUDIENCE": "{{ JWT_COMMON_AUDIENCE }}",
        "SECRET_KEY": "{{ OPENEDX_SECRET_KEY }}",
    }
]

# Features switched on or off everywhere
ENABLE_DISCUSSION_SERVICE = False
PREVENT_CONCURRENT_LOGINS = False
ENABLE_CORS_HEADERS = True

# CORS. CORS_ALLOW_HEADERS is left to edx-platform on purpose. MFE and
# third-party origins get appended to CORS_ORIGIN_WHITELIST.
CORS_ALLOW_CREDENTIALS = True
CORS_ORIGIN_ALLOW_ALL = False
CORS_ALLOW_INSECURE = {% if ENABLE_HTTPS %}False{% else %}True{% endif %}
CORS_ORIGIN_WHITELIST = []

# No codejail: point it at a python binary that does not exist, both through
# the module and the settings read by prod/dev code.
import codejail.jail_code
codejail.jail_code.configure("python", "nonexistingpythonbinary", user=None)
CODE_JAIL = {
    "python_bin": "nonexistingpythonbinary",
    "user": None,
}

OPENEDX_LEARNING = {
    "MEDIA": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": "/openedx/media-private/openedx-learning",
        },
    }
}

# Event bus over redis (edx-event-bus-redis)
EVENT_BUS_PRODUCER = "edx_event_bus_redis.create_producer"
EVENT_BUS_REDIS_CONNECTION_URL = "redis://@redis:6379/"
EVENT_BUS_TOPIC_PREFIX = "dev"
EVENT_BUS_CONSUMER = "edx_event_bus_redis.RedisEventConsumer"

{{ patch("openedx-common-settings") }}
####### End of LMS/CMS common settings

