{{/* The prober's config file: wiring defaults < .Values.config < what the chart owns. */}}
{{- define "prober.config" -}}
{{- $zones := list -}}
{{- range .Values.global.zones }}{{ $zones = append $zones .zone }}{{ end -}}
{{- $defaults := dict "zones" $zones "source" (dict "kubernetes" (dict "namespaces" (.Values.global.watchNamespaces | default list) "gatewayApi" .Values.kubernetes.gatewayApi)) -}}
{{- if .Values.global.regions -}}
{{- $tags := list -}}
{{- range .Values.global.regions }}{{ $tags = append $tags .geoTag }}{{ end -}}
{{- $_ := set $defaults "regions" $tags -}}
{{- end -}}
{{- $owned := include "meridian-lib.serverConfig" . | fromYaml -}}
{{- $_ := set $owned "source" (dict "mode" (ternary "kubernetes" "file" .Values.kubernetes.enabled)) -}}
{{- include "meridian-lib.mergeConfig" (dict "defaults" $defaults "user" .Values.config "owned" $owned) -}}
{{- end -}}
