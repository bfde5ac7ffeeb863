{{- define "pushhub.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "pushhub.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "pushhub.labels" -}}
{{ include "pushhub.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "pushhub.configSecret" -}}
{{- .Values.existingConfigSecret | default (printf "%s-config" (include "pushhub.fullname" .)) -}}
{{- end -}}

{{/* The hub's config.json. Refuses to render a hub that would run open (no key: development mode). */}}
{{- define "pushhub.config" -}}
{{- $auth := .Values.auth -}}
{{- if not (or $auth.hs256Secret $auth.publicKeys $auth.jwksUrl) -}}
{{- fail "pushhub: set auth.hs256Secret, auth.publicKeys or auth.jwksUrl (or existingConfigSecret): without a key the hub runs in development mode" -}}
{{- end -}}
{{- $http := dict "port" (int .Values.http.port) "drainSeconds" (int .Values.http.drainSeconds) -}}
{{- if .Values.http.trustedProxies -}}
{{- $_ := set $http "trustForwardedFor" true -}}
{{- $_ := set $http "trustedProxies" .Values.http.trustedProxies -}}
{{- end -}}
{{- $a := dict "publicKeys" ($auth.publicKeys | default list) "anonymousTopics" ($auth.anonymousTopics | default list) -}}
{{- with $auth.hs256Secret }}{{ $_ := set $a "hs256Secret" . }}{{ end -}}
{{- with $auth.issuer }}{{ $_ := set $a "issuer" . }}{{ end -}}
{{- with $auth.audience }}{{ $_ := set $a "audience" . }}{{ end -}}
{{- if $auth.jwksUrl -}}
{{- $_ := set $a "jwksUrl" $auth.jwksUrl -}}
{{- $_ := set $a "jwksRefreshSeconds" (int $auth.jwksRefreshSeconds) -}}
{{- $_ := set $a "jwksMinRefreshSeconds" (int $auth.jwksMinRefreshSeconds) -}}
{{- end -}}
{{- $cluster := dict "enabled" true "config" "/app/cluster-config/hazelcast-kubernetes.xml" "port" (int .Values.cluster.eventBusPort) -}}
{{- $base := dict "http" $http "limits" (dict "maxConnections" (int .Values.limits.maxConnections)) "auth" $a "cluster" $cluster -}}
{{- mustMergeOverwrite $base (deepCopy .Values.config) | toPrettyJson -}}
{{- end -}}
