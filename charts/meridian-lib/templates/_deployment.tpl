{{/*
The service's Deployment: (dict "root" $ "config" <config text> "automount" bool
"replicas" bool "ports" list "podSpec" dict). The config file is mounted read-only at
/etc/meridian/config.yaml (MERIDIAN_CONFIG), the TLS Secret at /etc/meridian/tls, and /tmp is
an emptyDir, so the root filesystem stays read-only.
*/}}
{{- define "meridian-lib.deployment" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $tls := eq (include "meridian-lib.tls.enabled" $root) "true" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "meridian-lib.fullname" $root }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "meridian-lib.labels" $root | nindent 4 }}
spec:
  {{- if .replicas }}
  replicas: {{ $v.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "meridian-lib.selectorLabels" $root | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "meridian-lib.labels" $root | nindent 8 }}
        {{- with $v.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ .config | sha256sum }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "meridian-lib.serviceAccountName" $root }}
      automountServiceAccountToken: {{ .automount }}
      enableServiceLinks: false
      securityContext:
        {{- include "meridian-lib.podSecurityContext" $root | nindent 8 }}
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      {{- with $v.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with (concat ($v.imagePullSecrets | default list) ((($v.global).image).pullSecrets | default list)) }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      containers:
        - name: {{ include "meridian-lib.name" $root }}
          image: {{ include "meridian-lib.image" $root | quote }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          {{- with $v.args }}
          args:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          env:
            - name: MERIDIAN_CONFIG
              value: /etc/meridian/config.yaml
            - name: NODE_ENV
              value: production
            {{- with $v.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          ports:
            - name: grpc
              containerPort: {{ $v.service.grpcPort }}
              protocol: TCP
            - name: metrics
              containerPort: {{ $v.service.metricsPort }}
              protocol: TCP
            - name: grpc-health
              containerPort: {{ include "meridian-lib.healthPort" $root }}
              protocol: TCP
            {{- with .ports }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- include "meridian-lib.probes" $root | nindent 10 }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- include "meridian-lib.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            - name: config
              mountPath: /etc/meridian/config.yaml
              subPath: config.yaml
              readOnly: true
            - name: tmp
              mountPath: /tmp
            {{- if $tls }}
            - name: tls
              mountPath: {{ include "meridian-lib.tls.dir" $root }}
              readOnly: true
            {{- end }}
            {{- with .mounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
            {{- with $v.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        - name: config
          configMap:
            name: {{ include "meridian-lib.fullname" $root }}
        - name: tmp
          emptyDir:
            sizeLimit: {{ $v.tmpSizeLimit | default "64Mi" }}
        {{- if $tls }}
        - name: tls
          secret:
            secretName: {{ include "meridian-lib.tls.secretName" $root }}
            defaultMode: 288 # 0440: owner and group (fsGroup) read
        {{- end }}
        {{- with .volumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- with $v.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with .podSpec }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}
