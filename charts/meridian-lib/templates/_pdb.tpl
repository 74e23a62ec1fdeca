{{/* PodDisruptionBudget: minAvailable or maxUnavailable from values (pdb.*). */}}
{{- define "meridian-lib.pdb" -}}
{{- if .Values.pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "meridian-lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "meridian-lib.labels" . | nindent 4 }}
spec:
  {{- if not (kindIs "invalid" .Values.pdb.minAvailable) }}
  minAvailable: {{ .Values.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .Values.pdb.maxUnavailable | default 1 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "meridian-lib.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}
