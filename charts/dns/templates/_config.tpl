{{/* dns's config file: wiring defaults < .Values.config < what the chart owns. */}}
{{- define "dns.config" -}}
{{- $endpoints := .Values.recordsEndpoints -}}
{{- if not $endpoints }}{{ $endpoints = list (include "meridian-lib.siblingAddress" (dict "root" . "service" "records" "port" 7104)) }}{{ end -}}
{{- $defaults := dict "dns" (dict "workers" .Values.dns.workers) "records" (dict "endpoints" $endpoints) -}}
{{- $owned := include "meridian-lib.serverConfig" . | fromYaml -}}
{{- $_ := set $owned "dns" (dict "host" "0.0.0.0" "port" .Values.dns.containerPort) -}}
{{- if eq (include "meridian-lib.tls.enabled" .) "true" -}}
{{- $_ := set $owned "records" (dict "tls" (include "meridian-lib.tls.files" . | fromYaml)) -}}
{{- end -}}
{{- include "meridian-lib.mergeConfig" (dict "defaults" $defaults "user" .Values.config "owned" $owned) -}}
{{- end -}}
