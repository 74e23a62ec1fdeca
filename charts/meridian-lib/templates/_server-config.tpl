{{/*
The config fields a chart owns for every service: the region, the gRPC and metrics listeners
on every interface at the Service's ports, the plaintext health-only listener the probes ask
(grpc.healthPort), and mutual TLS from the mounted Secret.
*/}}
{{- define "meridian-lib.serverConfig" -}}
{{- $healthPort := include "meridian-lib.healthPort" . | int -}}
{{- if or (eq (int .Values.service.grpcPort) $healthPort) (eq (int .Values.service.metricsPort) $healthPort) -}}
{{- fail (printf "service.grpcPort and service.metricsPort must not be %d: that is the health-only gRPC port the probes ask (grpc.healthPort); pick another port" $healthPort) -}}
{{- end -}}
region: {{ .Values.global.region | quote }}
grpc:
  host: 0.0.0.0
  port: {{ .Values.service.grpcPort }}
  healthPort: {{ include "meridian-lib.healthPort" . }}
  {{- if eq (include "meridian-lib.tls.enabled" .) "true" }}
  tls:
    {{- include "meridian-lib.tls.files" . | nindent 4 }}
    requireClientCert: true
  {{- end }}
metrics:
  host: 0.0.0.0
  port: {{ .Values.service.metricsPort }}
{{- end -}}

{{/* Client TLS (caFile, certFile, keyFile) for dialling the other services, when mTLS is on. */}}
{{- define "meridian-lib.clientTls" -}}
{{- if eq (include "meridian-lib.tls.enabled" .) "true" -}}
{{- include "meridian-lib.tls.files" . -}}
{{- end -}}
{{- end -}}

{{/* "host:port" of a sibling service of this release: (dict "root" $ "service" "records" "port" 7104). */}}
{{- define "meridian-lib.siblingAddress" -}}
{{- printf "%s:%v" (include "meridian-lib.siblingName" .) .port -}}
{{- end -}}
