# -*- coding: utf-8 -*-
# LMS production settings, rendered by tk8s.
import os
from lms.envs.production import *
{% include "apps/openedx/settings/partials/common_all.py" %}
####### Common LMS settings

LOGIN_REDIRECT_WHITELIST = ["{{ CMS_HOST }}"]

# Registration: keep the honor code/terms of service links out of the way
REGISTRATION_EXTRA_FIELDS["terms_of_service"] = "hidden"
REGISTRATION_EXTRA_FIELDS["honor_code"] = "hidden"

PROFILE_IMAGE_BACKEND["options"]["location"] = os.path.join(MEDIA_ROOT, "profile-images/")

COURSE_CATALOG_VISIBILITY_PERMISSION = "see_in_catalog"
COURSE_ABOUT_VISIBILITY_PERMISSION = "see_about_page"

# Containers talk to each other over plain HTTP
OAUTH_ENFORCE_SECURE = False

# Email and branding
DEFAULT_EMAIL_LOGO_URL = LMS_ROOT_URL + "/theming/asset/images/logo.png"
BULK_EMAIL_SEND_USING_EDX_ACE = True
ENABLE_FOOTER_MOBILE_APP_LINKS = False
MOBILE_STORE_ACE_URLS = {}
SOCIAL_MEDIA_FOOTER_ACE_URLS = {}

# Courses hidden in Studio stay hidden from the catalog
SEARCH_SKIP_SHOW_IN_CATALOG_FILTERING = False

CACHES["staticfiles"] = {
    "KEY_PREFIX": "staticfiles_lms",
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "staticfiles_lms",
}

# Search
ENABLE_COURSE_DISCOVERY = True
ENABLE_COURSEWARE_SEARCH = True
ENABLE_DASHBOARD_SEARCH = True

for folder in [DATA_DIR, LOG_DIR, MEDIA_ROOT, STATIC_ROOT, ORA2_FILEUPLOAD_ROOT]:
    if not os.path.exists(folder):
        os.makedirs(folder, exist_ok=True)

{{ patch("openedx-lms-common-settings") }}
####### End of common LMS settings

ALLOWED_HOSTS = [
    ENV_TOKENS.get("LMS_BASE"),
    "lms",
]
CORS_ORIGIN_WHITELIST.append("{% if ENABLE_HTTPS %}https{% else %}http{% endif %}://{{ LMS_HOST }}")

# Studio logs out through the LMS
IDA_LOGOUT_URI_LIST.append("{% if ENABLE_HTTPS %}https{% else %}http{% endif %}://{{ CMS_HOST }}/logout/")

# List every course on the start page, whatever its enrollment start date
SEARCH_SKIP_ENROLLMENT_START_DATE_FILTERING = True

{{ patch("openedx-lms-production-settings") }}
