"""Checks of deploy/: each file run through the tool that reads it (systemd-analyze, nginx,
kubectl, the Compose and Kubernetes schemas) and the walk-throughs rehearsed."""
