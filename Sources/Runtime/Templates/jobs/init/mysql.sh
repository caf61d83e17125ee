# Init task "mysql" (runs in the mysql-job Job, mysql image): create the
# Open edX database and its user once MySQL answers.
root_connection="--user={{ MYSQL_ROOT_USERNAME }} --password={{ MYSQL_ROOT_PASSWORD }} --host={{ MYSQL_HOST }} --port={{ MYSQL_PORT }}"
tries=0
until mysql $root_connection --execute="SELECT 1" > /dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 30 ]; then
        echo "MySQL at {{ MYSQL_HOST }}:{{ MYSQL_PORT }} did not answer after $tries tries" >&2
        exit 1
    fi
    echo "Waiting for MySQL at {{ MYSQL_HOST }}:{{ MYSQL_PORT }} ($tries/30)..."
    sleep 10
done
mysql $root_connection --execute="CREATE DATABASE IF NOT EXISTS {{ OPENEDX_MYSQL_DATABASE }};"
# CREATE USER fails when a view depends on the user (enterprise does that); the ALTER below still applies.
mysql $root_connection --execute="CREATE USER IF NOT EXISTS '{{ OPENEDX_MYSQL_USERNAME }}';" || true
mysql $root_connection --execute="ALTER USER '{{ OPENEDX_MYSQL_USERNAME }}'@'%' IDENTIFIED BY '{{ OPENEDX_MYSQL_PASSWORD }}';"
mysql $root_connection --execute="GRANT ALL ON {{ OPENEDX_MYSQL_DATABASE }}.* TO '{{ OPENEDX_MYSQL_USERNAME }}'@'%';"
echo "MySQL database {{ OPENEDX_MYSQL_DATABASE }} is ready"
