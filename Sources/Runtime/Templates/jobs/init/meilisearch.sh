# Init task "meilisearch" (runs in the lms-job Job): make sure the backend API
# key exists in Meilisearch, with the UID config.yml holds.
python - <<'PYTHON'
import meilisearch
client = meilisearch.Client("{{ MEILISEARCH_URL }}", "{{ MEILISEARCH_MASTER_KEY }}")
try:
    client.get_key("{{ MEILISEARCH_API_KEY_UID }}")
    print("Meilisearch API key found")
except meilisearch.errors.MeilisearchApiError:
    client.create_key({
        "uid": "{{ MEILISEARCH_API_KEY_UID }}",
        "name": "Open edX backend API key",
        "description": "Backend API calls; created by tk8s init",
        "actions": ["*"],
        "indexes": ["{{ MEILISEARCH_INDEX_PREFIX }}*"],
        "expiresAt": None,
    })
    print("Meilisearch API key created")
PYTHON
