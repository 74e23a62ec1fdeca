{{/*
Probes (ADR 0008): all three are Kubernetes' native gRPC probes against grpc.health.v1.Health on
the plaintext health-only listener (grpc.healthPort, container port "grpc-health"), so they
work while the gRPC port requires mTLS, which the kubelet's gRPC probe cannot present.
Readiness asks the default service "" (the service's readiness); startup and liveness ask
"meridian.v1.Liveness", SERVING while the gRPC server runs whatever the readiness: a service
that waits for an input is unready, not dead, and must not be restarted for it.
*/}}
{{/* The container port of the health-only listener; the same in every pod, exposed by no Service. */}}
{{- define "meridian-lib.healthPort" -}}7190{{- end -}}

{{- define "meridian-lib.probe" -}}
{{- $p := .probe -}}
grpc:
  port: {{ include "meridian-lib.healthPort" .root }}
  {{- with .service }}
  service: {{ . }}
  {{- end }}
initialDelaySeconds: {{ $p.initialDelaySeconds | default 0 }}
periodSeconds: {{ $p.periodSeconds }}
timeoutSeconds: {{ $p.timeoutSeconds }}
failureThreshold: {{ $p.failureThreshold }}
successThreshold: {{ $p.successThreshold | default 1 }}
{{- end -}}

{{- define "meridian-lib.probes" -}}
startupProbe:
  {{- include "meridian-lib.probe" (dict "root" . "probe" .Values.probes.startup "service" "meridian.v1.Liveness") | trim | nindent 2 }}
readinessProbe:
  {{- include "meridian-lib.probe" (dict "root" . "probe" .Values.probes.readiness) | trim | nindent 2 }}
livenessProbe:
  {{- include "meridian-lib.probe" (dict "root" . "probe" .Values.probes.liveness "service" "meridian.v1.Liveness") | trim | nindent 2 }}
{{- end -}}
