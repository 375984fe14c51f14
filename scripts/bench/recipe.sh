#!/usr/bin/env sh
# The service's documented shell recipe ("Retrieve Scan Report using Webhook", /work/shared/reference/
# 000_7518d00e331314e6.txt) as published, `.data.status.code` and `[[` included (so it needs bash, as a
# workflow `run:` step has). Changed only where the page leaves it to the reader: WEBHOOK, API_ENDPOINT and
# POLL_INTERVAL (`sleep 60` on the page) from the environment, and the `do`/`done` the page's copy lost.

# TODO: Set WEBHOOK to webhook ID (without URL)
WEBHOOK="${WEBHOOK:?set WEBHOOK to the webhook ID}"
API_ENDPOINT="${API_ENDPOINT:-https://api.crashtest.cloud/webhook}"

# Start Scan and get scan ID
SCAN_ID=`curl --silent -X POST --data "" $API_ENDPOINT/$WEBHOOK | jq .data.scanId`
echo "Started Scan for Webhook $WEBHOOK. Scan ID is $SCAN_ID."

# Refresh Scan status
while [[ $STATUS -le "101" ]]
do
echo "Scan Status currently is $STATUS (101 = Running)"
# Only poll every minute
sleep "${POLL_INTERVAL:-60}"

# Refresh status
STATUS=`curl --silent $API_ENDPOINT/$WEBHOOK/scans/$SCAN_ID/status | jq .data.status.code`
done

echo "Scan finished with status $STATUS."

# Download Report
curl --silent $API_ENDPOINT/$WEBHOOK/scans/$SCAN_ID/report/junit -o report.xml
echo "Downloaded Report to report.xml"
