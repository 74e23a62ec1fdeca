{{/*
Names. Every object of a service chart is named "<release>-<service>" (or fullnameOverride),
so the umbrella chart can wire the services together by name.
*/}}

{{/* The service's name: the chart name unless nameOverride. */}}
{{- define "meridian-lib.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* "<release>-<service>", or fullnameOverride. */}}
{{- define "meridian-lib.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "meridian-lib.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The Service name of another Meridian service of the same release: (dict "root" $ "service" "records"). */}}
{{- define "meridian-lib.siblingName" -}}
{{- printf "%s-%s" .root.Release.Name .service | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* "name-version" for the helm.sh/chart label. */}}
{{- define "meridian-lib.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "meridian-lib.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "meridian-lib.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}
