{{/* "<registry>/<service>:<tag>": image.repository wins; else global.image.registry + the service name. The tag defaults to the chart's appVersion. */}}
{{- define "meridian-lib.image" -}}
{{- $global := ((.Values.global).image) | default dict -}}
{{- $repository := .Values.image.repository | default (printf "%s/%s" ($global.registry | default "ghcr.io/meridian-gslb") (include "meridian-lib.name" .)) -}}
{{- $tag := .Values.image.tag | default $global.tag | default .Chart.AppVersion -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository ($tag | toString) -}}
{{- end -}}
{{- end -}}
