# minio init task: runs in the minio-job container (mc image).
# Register the in-cluster MinIO server, then create the buckets Open edX uses.
mc config host add minio http://minio:9000 {{ OPENEDX_AWS_ACCESS_KEY }} {{ OPENEDX_AWS_SECRET_ACCESS_KEY }} --api s3v4
mc mb --ignore-existing minio/{{ MINIO_BUCKET_NAME }} minio/{{ MINIO_FILE_UPLOAD_BUCKET_NAME }} minio/{{ MINIO_VIDEO_UPLOAD_BUCKET_NAME }} minio/{{ MINIO_GRADES_BUCKET_NAME }} minio/{{ MINIO_OPENEDX_LEARNING_BUCKET_NAME }}

# The main bucket is public: files uploaded there (e.g. forum images) are
# served directly.
{%- if MINIO_GATEWAY == "azure" %}
echo "⚠️  It is your responsibility to grant public read access rights to the '{{ MINIO_BUCKET_NAME }}' bucket on Azure."
{%- else %}
mc policy set public minio/{{ MINIO_BUCKET_NAME }}
{%- endif %}
{%- if MINIO_DISCOVERY_BUCKET_NAME %}

# Course discovery media bucket, also public
mc mb --ignore-existing minio/{{ MINIO_DISCOVERY_BUCKET_NAME }}
{%- if MINIO_GATEWAY == "azure" %}
echo "⚠️  It is your responsibility to grant public read access rights to the '{{ MINIO_DISCOVERY_BUCKET_NAME }}' bucket on Azure."
{%- else %}
mc policy set public minio/{{ MINIO_DISCOVERY_BUCKET_NAME }}
{%- endif %}
{%- endif %}
