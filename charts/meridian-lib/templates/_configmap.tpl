{{/*
The service's config file, /etc/meridian/config.yaml: (dict "root" $ "config" <the YAML text>).
The service reads it once (MERIDIAN_CONFIG) and validates it with its zod schema.
*/}}
{{- define "meridian-lib.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "meridian-lib.fullname" .root }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "meridian-lib.labels" .root | nindent 4 }}
data:
  config.yaml: |
    {{- .config | nindent 4 }}
{{- end -}}

{{/*
The config a chart renders: (dict "defaults" <wiring the user may change> "user" .Values.config
"owned" <what the chart owns: listen address, ports, TLS paths>). owned wins over user, user
over defaults.
*/}}
{{- define "meridian-lib.mergeConfig" -}}
{{- $merged := mustMergeOverwrite (deepCopy .defaults) (deepCopy (.user | default dict)) (deepCopy .owned) -}}
{{- toYaml $merged -}}
{{- end -}}
