{{/*
TLS of a service's gRPC server (and of its clients): a Secret with tls.crt, tls.key and ca.crt,
either an existing one or one that cert-manager issues from a Certificate this chart renders.
Service values override global.tls field by field; null means "follow global".
*/}}

{{/* "true" when the service's gRPC uses mutual TLS. */}}
{{- define "meridian-lib.tls.enabled" -}}
{{- $tls := .Values.tls | default dict -}}
{{- if kindIs "invalid" $tls.enabled -}}
{{- ((.Values.global).tls).enabled | default false -}}
{{- else -}}
{{- $tls.enabled -}}
{{- end -}}
{{- end -}}

{{/* "true" when cert-manager issues the Secret. */}}
{{- define "meridian-lib.tls.certManager" -}}
{{- $cm := (.Values.tls).certManager | default dict -}}
{{- if kindIs "invalid" $cm.enabled -}}
{{- (((.Values.global).tls).certManager).enabled | default false -}}
{{- else -}}
{{- $cm.enabled -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding tls.crt, tls.key and ca.crt. */}}
{{- define "meridian-lib.tls.secretName" -}}
{{- if (.Values.tls).existingSecret -}}
{{- .Values.tls.existingSecret -}}
{{- else if eq (include "meridian-lib.tls.certManager" .) "true" -}}
{{- printf "%s-tls" (include "meridian-lib.fullname" .) -}}
{{- else -}}
{{- ((.Values.global).tls).existingSecret | default "meridian-tls" -}}
{{- end -}}
{{- end -}}

{{/* Where the Secret is mounted, and the file paths the service's config names. */}}
{{- define "meridian-lib.tls.dir" -}}/etc/meridian/tls{{- end -}}
{{- define "meridian-lib.tls.files" -}}
certFile: /etc/meridian/tls/tls.crt
keyFile: /etc/meridian/tls/tls.key
caFile: /etc/meridian/tls/ca.crt
{{- end -}}

{{/* The in-cluster names of this service (what its siblings dial). */}}
{{- define "meridian-lib.tls.serviceDnsNames" -}}
{{- $name := include "meridian-lib.fullname" . -}}
- {{ $name }}
- {{ $name }}.{{ .Release.Namespace }}
- {{ $name }}.{{ .Release.Namespace }}.svc
- {{ $name }}.{{ .Release.Namespace }}.svc.{{ ((.Values.global).clusterDomain) | default "cluster.local" }}
{{- end -}}

{{/*
A cert-manager Certificate for this service: server and client auth, the Service's names plus
tls.certManager.dnsNames (extra names, e.g. the name peers dial) plus, for peer-sync, its
peer identity with this region filled in.
*/}}
{{- define "meridian-lib.tls.certificate" -}}
{{- if and (eq (include "meridian-lib.tls.enabled" .) "true") (eq (include "meridian-lib.tls.certManager" .) "true") (not (.Values.tls).existingSecret) -}}
{{- $global := (((.Values.global).tls).certManager) | default dict -}}
{{- $local := ((.Values.tls).certManager) | default dict -}}
{{- $issuer := $local.issuerRef | default $global.issuerRef | default dict -}}
{{- if not $issuer.name -}}
{{- fail (printf "%s: tls.certManager.issuerRef.name (or global.tls.certManager.issuerRef.name) is required when cert-manager issues the certificates: name an Issuer or ClusterIssuer" (include "meridian-lib.name" .)) -}}
{{- end }}
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: {{ include "meridian-lib.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "meridian-lib.labels" . | nindent 4 }}
spec:
  secretName: {{ include "meridian-lib.tls.secretName" . }}
  commonName: {{ include "meridian-lib.fullname" . }}
  duration: {{ $local.duration | default $global.duration | default "2160h" }}
  renewBefore: {{ $local.renewBefore | default $global.renewBefore | default "360h" }}
  privateKey:
    algorithm: ECDSA
    size: 256
    rotationPolicy: Always
  usages:
    - server auth
    - client auth
    - digital signature
    - key encipherment
  dnsNames:
    {{- include "meridian-lib.tls.serviceDnsNames" . | nindent 4 }}
    {{- range $local.dnsNames }}
    - {{ . | quote }}
    {{- end }}
    {{- with .Values.peerIdentity }}
    - {{ replace "{region}" $.Values.global.region . | quote }}
    {{- end }}
  issuerRef:
    name: {{ $issuer.name }}
    kind: {{ $issuer.kind | default "ClusterIssuer" }}
    group: {{ $issuer.group | default "cert-manager.io" }}
{{- end -}}
{{- end -}}
