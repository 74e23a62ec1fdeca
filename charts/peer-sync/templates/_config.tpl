{{/* peer-sync's config file: wiring defaults < .Values.config < what the chart owns. */}}
{{- define "peer-sync.config" -}}
{{- $tls := eq (include "meridian-lib.tls.enabled" .) "true" -}}
{{- $peering := dict "peers" (.Values.peers | default list) -}}
{{- with .Values.peerIdentity }}{{ $_ := set $peering "peerIdentity" . }}{{ end -}}
{{- $defaults := dict "peering" $peering "prober" (dict "address" (include "meridian-lib.siblingAddress" (dict "root" . "service" "prober" "port" 7101))) -}}
{{- $e := .Values.edgeDns -}}
{{- if $e.enabled -}}
{{- if not $e.server -}}{{- fail "peer-sync: edgeDns.server is required when edgeDns.enabled: the parent zone's primary, \"host\" or \"host:port\"" -}}{{- end -}}
{{- $zones := $e.zones -}}
{{- if not $zones -}}
{{- range .Values.global.zones }}{{ $zones = append $zones (dict "zone" .zone "parent" .parentZone) }}{{ end -}}
{{- end -}}
{{- $edge := dict "server" $e.server "zones" $zones -}}
{{- if $e.delegation.enabled -}}
{{- if not $e.tsig.existingSecret -}}{{- fail "peer-sync: edgeDns.tsig.existingSecret is required for the delegation: a Secret holding the TSIG key (see charts/peer-sync/README.md)" -}}{{- end -}}
{{- $tsig := dict -}}
{{- if $e.tsig.name -}}
{{- $tsig = dict "name" $e.tsig.name "algorithm" $e.tsig.algorithm "secretFile" (printf "/etc/meridian/tsig/%s" $e.tsig.key) -}}
{{- else -}}
{{- $tsig = dict "keyFile" (printf "/etc/meridian/tsig/%s" $e.tsig.key) -}}
{{- end -}}
{{- $_ := set $edge "delegation" (dict "addresses" $e.delegation.addresses "ttlSeconds" $e.delegation.ttlSeconds "tsig" $tsig) -}}
{{- end -}}
{{- if $e.discovery.enabled -}}
{{- $d := dict "peerPort" .Values.peerService.port -}}
{{- with $e.discovery.peerHost }}{{ $_ := set $d "peerHost" . }}{{ end -}}
{{- $_ := set $edge "discovery" $d -}}
{{- end -}}
{{- $_ := set $defaults "edgeDns" $edge -}}
{{- end -}}
{{- $owned := include "meridian-lib.serverConfig" . | fromYaml -}}
{{- $_ := set $owned "peering" (dict "plaintext" (not $tls)) -}}
{{- if $tls -}}
{{- $files := include "meridian-lib.tls.files" . | fromYaml -}}
{{- $_ := set $owned.peering "tls" $files -}}
{{- $_ := set $owned "prober" (dict "tls" $files) -}}
{{- end -}}
{{- include "meridian-lib.mergeConfig" (dict "defaults" $defaults "user" .Values.config "owned" $owned) -}}
{{- end -}}
