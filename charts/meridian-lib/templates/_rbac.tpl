{{/*
RBAC for (dict "root" $ "rules" <list of PolicyRules> "namespaces" <list> "suffix" <name suffix>):
a ClusterRole and ClusterRoleBinding when namespaces is empty (cluster-wide watch), else a Role
and RoleBinding in each namespace.
*/}}
{{- define "meridian-lib.rbac" -}}
{{- $root := .root -}}
{{- $name := printf "%s%s" (include "meridian-lib.fullname" $root) (.suffix | default "") -}}
{{- $rules := .rules -}}
{{- if not .namespaces }}
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ $name }}
  labels:
    {{- include "meridian-lib.labels" $root | nindent 4 }}
rules:
  {{- toYaml $rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ $name }}
  labels:
    {{- include "meridian-lib.labels" $root | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ include "meridian-lib.serviceAccountName" $root }}
    namespace: {{ $root.Release.Namespace }}
{{- else }}
{{- range .namespaces }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $name }}
  namespace: {{ . }}
  labels:
    {{- include "meridian-lib.labels" $root | nindent 4 }}
rules:
  {{- toYaml $rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $name }}
  namespace: {{ . }}
  labels:
    {{- include "meridian-lib.labels" $root | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $name }}
subjects:
  - kind: ServiceAccount
    name: {{ include "meridian-lib.serviceAccountName" $root }}
    namespace: {{ $root.Release.Namespace }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
A Service that other regions reach (peer-sync's Exchange, the witness's Observe): only the
gRPC port; type and load-balancer settings from .Values.peerService.
*/}}
{{- define "meridian-lib.peerService" -}}
{{- $ps := .Values.peerService -}}
{{- if $ps.enabled }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "meridian-lib.fullname" . }}-peer
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "meridian-lib.labels" . | nindent 4 }}
  {{- with $ps.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $ps.type }}
  {{- if eq $ps.type "LoadBalancer" }}
  {{- with $ps.loadBalancerIP }}
  loadBalancerIP: {{ . }}
  {{- end }}
  {{- with $ps.loadBalancerSourceRanges }}
  loadBalancerSourceRanges:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- end }}
  {{- if ne $ps.type "ClusterIP" }}
  externalTrafficPolicy: {{ $ps.externalTrafficPolicy }}
  {{- end }}
  selector:
    {{- include "meridian-lib.selectorLabels" . | nindent 4 }}
  ports:
    - name: grpc
      port: {{ $ps.port }}
      targetPort: grpc
      protocol: TCP
      appProtocol: grpc
{{- end }}
{{- end -}}
