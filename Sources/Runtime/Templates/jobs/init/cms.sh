# Init task "cms" (runs in the cms-job Job): database schema and search indexes.
dockerize -wait tcp://{{ MYSQL_HOST }}:{{ MYSQL_PORT }} -timeout 20s
echo "Settings: $DJANGO_SETTINGS_MODULE"

./manage.py cms migrate

if [ -d /openedx/data/uploads/ ] && [ -n "$(ls -A /openedx/data/uploads/)" ]; then
  echo "Moving CMS uploads to the media directory"
  mv /openedx/data/uploads/* /openedx/media/
  rm -rf /openedx/data/uploads/
fi

# Index creation happens on migrate; these queue the indexing for cms-worker.
./manage.py cms reindex_studio
./manage.py cms reindex_course --active

if python -c "import openedx_authz" 2>/dev/null; then
  ./manage.py cms load_policies
else
  echo "openedx-authz is not installed: no authorization policies to load"
fi
