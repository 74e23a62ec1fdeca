{{/* The witness's config file: wiring defaults < .Values.config < what the chart owns. */}}
{{- define "witness.config" -}}
{{- $tls := eq (include "meridian-lib.tls.enabled" .) "true" -}}
{{- $w := dict -}}
{{- with .Values.global.zones }}{{ $_ := set $w "zone" (first .).zone }}{{ end -}}
{{- $regions := list -}}
{{- range .Values.global.regions }}{{ $regions = append $regions (dict "geotag" .geoTag "nameservers" (.nameservers | default list)) }}{{ end -}}
{{- $_ := set $w "regions" $regions -}}
{{- $resolvers := list -}}
{{- range .Values.resolvers }}{{ $resolvers = append $resolvers (dict "address" .) }}{{ end -}}
{{- $_ := set $w "resolvers" $resolvers -}}
{{- $peers := list -}}
{{- $files := include "meridian-lib.tls.files" . | fromYaml -}}
{{- range .Values.peers -}}
{{- $p := dict "region" .region "address" .address -}}
{{- if $tls -}}
{{- $t := deepCopy $files -}}
{{- with .serverName }}{{ $_ := set $t "serverName" . }}{{ end -}}
{{- $_ := set $p "tls" $t -}}
{{- end -}}
{{- $peers = append $peers $p -}}
{{- end -}}
{{- $_ := set $w "peers" $peers -}}
{{- if not (kindIs "invalid" .Values.quorum) }}{{ $_ := set $w "quorum" .Values.quorum }}{{ end -}}
{{- $owned := include "meridian-lib.serverConfig" . | fromYaml -}}
{{- $text := include "meridian-lib.mergeConfig" (dict "defaults" (dict "witness" $w) "user" .Values.config "owned" $owned) -}}
{{- /* The quorum rules the witness would stop on at start-up, checked at install time instead. */ -}}
{{- $m := $text | fromYaml -}}
{{- $judged := 0 -}}
{{- range ($m.witness.regions | default list) }}{{ if ne .geotag $m.region }}{{ $judged = add1 $judged }}{{ end }}{{ end -}}
{{- $observers := add (len ($m.witness.resolvers | default list)) (len ($m.witness.peers | default list)) -}}
{{- if and (gt $judged 0) (eq (int $observers) 0) -}}
{{- fail (printf "witness: %d other region(s) to judge (global.regions) but 0 observers: list recursive resolvers in other failure domains under witness.resolvers, or peer witnesses under witness.peers" $judged) -}}
{{- end -}}
{{- if and (gt $judged 0) (hasKey $m.witness "quorum") -}}
{{- $q := int $m.witness.quorum -}}
{{- if gt $q (int $observers) -}}
{{- fail (printf "witness: quorum %d cannot be reached with %d observers (resolvers + peers): use at most %d, or add observers" $q $observers $observers) -}}
{{- else if le (mul $q 2) (int $observers) -}}
{{- fail (printf "witness: quorum %d of %d observers is not a majority, so ALIVE and DOWN could both be reached: use at least %d" $q $observers (add1 (div $observers 2))) -}}
{{- end -}}
{{- end -}}
{{- $text -}}
{{- end -}}
