{{/* Pod securityContext: non-root UID 10001, RuntimeDefault seccomp; values may add to it. */}}
{{- define "meridian-lib.podSecurityContext" -}}
{{- $base := dict "runAsNonRoot" true "runAsUser" 10001 "runAsGroup" 10001 "fsGroup" 10001 "seccompProfile" (dict "type" "RuntimeDefault") -}}
{{- toYaml (mustMergeOverwrite $base (deepCopy (.Values.podSecurityContext | default dict))) -}}
{{- end -}}

{{/* Container securityContext: read-only root filesystem, no privilege escalation, every capability dropped. */}}
{{- define "meridian-lib.containerSecurityContext" -}}
{{- $base := dict "runAsNonRoot" true "runAsUser" 10001 "runAsGroup" 10001 "allowPrivilegeEscalation" false "readOnlyRootFilesystem" true "privileged" false "capabilities" (dict "drop" (list "ALL")) -}}
{{- toYaml (mustMergeOverwrite $base (deepCopy (.Values.securityContext | default dict))) -}}
{{- end -}}
