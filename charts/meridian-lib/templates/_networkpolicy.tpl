{{/*
A NetworkPolicy that denies every flow of this service's pods except: the chart's own ingress
and egress rules (.ingress, .egress: the flows of DESIGN.md), scrapes of the metrics port from
networkPolicy.metrics.from, name lookups at the cluster DNS (networkPolicy.clusterDns), and
networkPolicy.extraIngress / extraEgress.
*/}}
{{- define "meridian-lib.networkPolicy" -}}
{{- $root := .root -}}
{{- $np := $root.Values.networkPolicy -}}
{{- if $np.enabled }}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "meridian-lib.fullname" $root }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "meridian-lib.labels" $root | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "meridian-lib.selectorLabels" $root | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    {{- with .ingress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    - ports:
        - port: metrics
          protocol: TCP
      {{- with $np.metrics.from }}
      from:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- with $np.extraIngress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  egress:
    {{- with .egress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- if $np.clusterDns.enabled }}
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ $np.clusterDns.namespace }}
          podSelector:
            matchLabels:
              {{- toYaml $np.clusterDns.podLabels | nindent 14 }}
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    {{- end }}
    {{- with $np.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end }}
{{- end -}}

{{/* A rule peer selecting another Meridian service's pods in this namespace: (dict "service" "records"). */}}
{{- define "meridian-lib.siblingPeer" -}}
- podSelector:
    matchLabels:
      app.kubernetes.io/name: {{ .service }}
      app.kubernetes.io/part-of: meridian
{{- end -}}

{{/* Egress rules to the Kubernetes API server (networkPolicy.apiServer: CIDRs and ports differ per cluster). */}}
{{- define "meridian-lib.apiServerEgress" -}}
{{- $api := .Values.networkPolicy.apiServer -}}
- to:
    {{- range $api.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    {{- range $api.ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- end -}}
