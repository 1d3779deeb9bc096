{{/*
Name of the chart, for labels.
*/}}
{{- define "pgwarden.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the release's objects. Listener Services append "-<listener>" (up
to 16 characters), so the base stays within 47 characters.
*/}}
{{- define "pgwarden.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 47 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 47 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 47 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "pgwarden.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "pgwarden.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pgwarden.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "pgwarden.labels" -}}
helm.sh/chart: {{ include "pgwarden.chart" . }}
{{ include "pgwarden.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "pgwarden.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "pgwarden.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Name of the Secret holding the admin token and the monitor password, or ""
when there is none.
*/}}
{{- define "pgwarden.secretName" -}}
{{- if .Values.secret.existingSecret }}
{{- .Values.secret.existingSecret }}
{{- else if and .Values.secret.create (or .Values.secret.adminToken .Values.secret.monitorPassword) }}
{{- include "pgwarden.fullname" . }}
{{- end }}
{{- end }}

{{/*
"true" when the pod gets an admin token: from an existing Secret, or from
secret.adminToken.
*/}}
{{- define "pgwarden.hasAdminToken" -}}
{{- if or .Values.secret.existingSecret (and .Values.secret.create .Values.secret.adminToken) }}true{{ end }}
{{- end }}

{{- define "pgwarden.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The pgwarden configuration as JSON (valid HOCON): .Values.config with what the
pod needs filled in where absent: listeners and the admin API on 0.0.0.0, the
admin port, and the state file on the persistent volume.
*/}}
{{- define "pgwarden.configJson" -}}
{{- $config := deepCopy (.Values.config | default dict) }}
{{- $listeners := list }}
{{- range $listener := ($config.listeners | default list) }}
{{- $listeners = append $listeners (merge (deepCopy $listener) (dict "host" "0.0.0.0")) }}
{{- end }}
{{- $_ := set $config "listeners" $listeners }}
{{- $admin := merge (deepCopy ($config.admin | default dict)) (dict "host" "0.0.0.0" "port" 6480) }}
{{- $_ := set $config "admin" $admin }}
{{- $failover := deepCopy ($config.failover | default dict) }}
{{- if not (hasKey $failover "state-file") }}
{{- $_ := set $failover "state-file" (printf "%s/state.json" (.Values.persistence.mountPath | trimSuffix "/")) }}
{{- end }}
{{- $_ := set $config "failover" $failover }}
{{- dict "pgwarden" $config | toJson }}
{{- end }}

{{/*
Refuses values that would render a deployment unsafe or unable to start.
Included by the Deployment, so `helm template` and `helm install` both stop.
*/}}
{{- define "pgwarden.validate" -}}
{{- $config := (include "pgwarden.configJson" . | fromJson).pgwarden }}
{{- $mode := $config.failover.mode | default "automatic" }}
{{- $replicas := int .Values.replicaCount }}
{{- if and (gt $replicas 1) (ne $mode "external") }}
{{- fail (printf "replicaCount = %d with config.failover.mode = %s: only one pgwarden replica may run automatic (or manual) failover until proxies share cluster state; each replica would act on its own and could fence the primary another one elected. Use replicaCount = 1, or config.failover.mode = external when another manager (Patroni, pg_auto_failover) promotes." $replicas $mode) }}
{{- end }}
{{- if and (gt $replicas 1) .Values.persistence.enabled }}
{{- fail (printf "replicaCount = %d with persistence.enabled = true: the ReadWriteOnce volume of the state file cannot be shared by several pods; set persistence.enabled = false (each pod keeps its state in an emptyDir)." $replicas) }}
{{- end }}
{{- if or (hasKey ($config.admin | default dict) "token") (hasKey ($config.monitor | default dict) "password") }}
{{- fail "config.admin.token and config.monitor.password would be stored in plain text in the ConfigMap: set secret.adminToken and secret.monitorPassword (or secret.existingSecret) instead." }}
{{- end }}
{{- if eq (toString $config.admin.enabled) "false" }}
{{- fail "config.admin.enabled = false: the liveness and readiness probes need the admin listener (/healthz, /readyz)." }}
{{- end }}
{{- if not $config.listeners }}
{{- fail "config.listeners is empty: pgwarden needs at least one listener." }}
{{- end }}
{{- range $listener := $config.listeners }}
{{- if not (regexMatch "^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$" (toString $listener.name)) }}
{{- fail (printf "config.listeners name %q: the chart uses listener names as Kubernetes port and Service names, so they must be 1-15 lowercase letters, digits or '-', starting and ending with a letter or digit." (toString $listener.name)) }}
{{- end }}
{{- if eq (toString $listener.name) "admin" }}
{{- fail "config.listeners name \"admin\" is taken by the admin API's port and Service." }}
{{- end }}
{{- end }}
{{- if and (index $config.admin "read-requires-token") (not (include "pgwarden.hasAdminToken" .)) }}
{{- fail "config.admin.read-requires-token = true needs an admin token: set secret.adminToken or secret.existingSecret." }}
{{- end }}
{{- $stateFile := index $config.failover "state-file" | toString }}
{{- if not (hasPrefix (printf "%s/" (.Values.persistence.mountPath | trimSuffix "/")) $stateFile) }}
{{- fail (printf "config.failover.state-file = %q is outside persistence.mountPath (%s), the only writable directory of the pod." $stateFile .Values.persistence.mountPath) }}
{{- end }}
{{- end }}
