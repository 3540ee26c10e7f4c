{{- define "watchdog.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "watchdog.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "watchdog.selectorLabels" -}}
app.kubernetes.io/name: {{ include "watchdog.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "watchdog.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "watchdog.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "watchdog.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "watchdog.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The rules of files/rbac-rules.yaml for the watched namespaces: workloads, and virtual services when enabled. */}}
{{- define "watchdog.workloadRules" -}}
{{- $rules := .Files.Get "files/rbac-rules.yaml" | fromYaml }}
{{- $list := $rules.workloads }}
{{- if .Values.virtualServices.enabled }}
{{- $list = concat $list $rules.virtualServices }}
{{- end }}
{{- toYaml $list }}
{{- end }}

{{/* The Lease rules of files/rbac-rules.yaml, the named one naming ha.leaseName. */}}
{{- define "watchdog.leaseRules" -}}
{{- $rules := .Files.Get "files/rbac-rules.yaml" | fromYaml }}
{{- $list := list }}
{{- range $rule := $rules.lease }}
{{- if hasKey $rule "resourceNames" }}
{{- $_ := set $rule "resourceNames" (list $.Values.ha.leaseName) }}
{{- end }}
{{- $list = append $list $rule }}
{{- end }}
{{- toYaml $list }}
{{- end }}
