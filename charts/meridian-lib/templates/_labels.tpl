{{/* Kubernetes recommended labels (app.kubernetes.io/*) plus helm.sh/chart. */}}
{{- define "meridian-lib.labels" -}}
helm.sh/chart: {{ include "meridian-lib.chart" . }}
{{ include "meridian-lib.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | toString | trunc 63 | quote }}
app.kubernetes.io/component: {{ include "meridian-lib.name" . }}
app.kubernetes.io/part-of: meridian
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The labels that select this service's pods; they never change on upgrade. */}}
{{- define "meridian-lib.selectorLabels" -}}
app.kubernetes.io/name: {{ include "meridian-lib.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
