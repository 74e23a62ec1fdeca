{{/* records' config file: wiring defaults < .Values.config < what the chart owns. */}}
{{- define "records.config" -}}
{{- $defaults := dict -}}
{{- /* Rules records would stop on at start-up, checked at install time. */ -}}
{{- $tags := list -}}
{{- range .Values.global.regions }}{{ $tags = append $tags .geoTag }}{{ end -}}
{{- if and $tags (not (has .Values.global.region $tags)) -}}
{{- fail (printf "records: global.regions must include this region %q (global.region): add {geoTag: %s}" .Values.global.region .Values.global.region) -}}
{{- end -}}
{{- range .Values.global.regions -}}
{{- $self := .geoTag -}}
{{- range (.proximity | default list) -}}
{{- if not (has . $tags) }}{{ fail (printf "records: global.regions[%s].proximity names %q, which is not a region of global.regions" $self .) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- range .Values.global.zones -}}
{{- if not (hasSuffix (printf ".%s" (.parentZone | trimSuffix ".")) (.zone | trimSuffix ".")) -}}
{{- fail (printf "records: global.zones: %q is not below its parentZone %q; give the zone that delegates it, e.g. zone gslb.example.com, parentZone example.com" .zone .parentZone) -}}
{{- end -}}
{{- end -}}
{{- if .Values.global.regions -}}
{{- $regions := list -}}
{{- range .Values.global.regions }}{{ $regions = append $regions (dict "geoTag" .geoTag "proximity" (.proximity | default list)) }}{{ end -}}
{{- $_ := set $defaults "regions" $regions -}}
{{- end -}}
{{- $zones := list -}}
{{- range .Values.global.zones }}{{ $zones = append $zones (dict "zone" .zone "parentZone" .parentZone) }}{{ end -}}
{{- $_ := set $defaults "dnsZones" $zones -}}
{{- $in := .Values.inputs -}}
{{- $inputs := dict "prober" ($in.prober.address | default (include "meridian-lib.siblingAddress" (dict "root" . "service" "prober" "port" 7101))) -}}
{{- if $in.peerSync.enabled }}{{ $_ := set $inputs "peerSync" ($in.peerSync.address | default (include "meridian-lib.siblingAddress" (dict "root" . "service" "peer-sync" "port" 7102))) }}{{ end -}}
{{- if $in.witness.enabled }}{{ $_ := set $inputs "witness" ($in.witness.address | default (include "meridian-lib.siblingAddress" (dict "root" . "service" "witness" "port" 7103))) }}{{ end -}}
{{- $_ := set $defaults "inputs" $inputs -}}
{{- $owned := include "meridian-lib.serverConfig" . | fromYaml -}}
{{- if eq (include "meridian-lib.tls.enabled" .) "true" -}}
{{- $_ := set $owned "inputs" (dict "tls" (include "meridian-lib.tls.files" . | fromYaml)) -}}
{{- end -}}
{{- if .Values.kubernetes.enabled -}}
{{- $_ := set $defaults "kubernetes" (dict "gslbStatus" .Values.kubernetes.gslbStatus "dnsEndpoints" .Values.kubernetes.dnsEndpoints) -}}
{{- $_ := set $owned "kubernetes" (dict "namespace" .Release.Namespace) -}}
{{- end -}}
{{- include "meridian-lib.mergeConfig" (dict "defaults" $defaults "user" .Values.config "owned" $owned) -}}
{{- end -}}
