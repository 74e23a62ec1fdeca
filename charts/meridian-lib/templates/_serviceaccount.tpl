{{/* The service's own ServiceAccount; automountServiceAccountToken only for services that call the API. */}}
{{- define "meridian-lib.serviceAccount" -}}
{{- if .root.Values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "meridian-lib.serviceAccountName" .root }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "meridian-lib.labels" .root | nindent 4 }}
  {{- with .root.Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .automount }}
{{- end }}
{{- end -}}
