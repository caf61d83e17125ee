# Init task "lms" (runs in the lms-job Job): database schema, search indexes,
# the Studio single-sign-on client, default switches.
dockerize -wait tcp://{{ MYSQL_HOST }}:{{ MYSQL_PORT }} -timeout 20s
{%- if MONGODB_HOST.startswith("mongodb+srv://") %}
echo "MongoDB uses SRV records: not waiting for it"
{%- else %}
{%- for host in MONGODB_HOST.split(",") %}
dockerize -wait tcp://{{ host.strip() }}:{{ MONGODB_PORT }} -timeout 20s
{%- endfor %}
{%- endif %}
echo "Settings: $DJANGO_SETTINGS_MODULE"

./manage.py lms migrate
./manage.py lms shell -c "import search.meilisearch; search.meilisearch.create_indexes()"

# Studio logs in through the LMS: an OAuth2 application for it.
./manage.py lms manage_user cms cms@openedx --unusable-password
./manage.py lms create_dot_application \
  --grant-type authorization-code \
  --redirect-uris "{% if ENABLE_HTTPS %}https{% else %}http{% endif %}://{{ CMS_HOST }}/complete/edx-oauth2/" \
  --client-id {{ CMS_OAUTH2_KEY_SSO }} \
  --client-secret {{ CMS_OAUTH2_SECRET }} \
  --scopes user_id \
  --skip-authorization \
  --update cms-sso cms

# Files uploaded by old releases lived in the data directory.
if [ -d /openedx/data/uploads/ ] && [ -n "$(ls -A /openedx/data/uploads/)" ]; then
  echo "Moving LMS uploads to the media directory"
  mv /openedx/data/uploads/* /openedx/media/
  rm -rf /openedx/data/uploads/
fi

# Green ticks on completed units, unless the switch was set before.
./manage.py lms waffle_switch --list | grep -q completion.enable_completion_tracking \
  || ./manage.py lms waffle_switch --create completion.enable_completion_tracking on

if python -c "import openedx_authz" 2>/dev/null; then
  ./manage.py lms load_policies
else
  echo "openedx-authz is not installed: no authorization policies to load"
fi
