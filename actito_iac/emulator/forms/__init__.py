"""Forms (actito-api.md §6): designed in the UI, their structure read by the API."""
