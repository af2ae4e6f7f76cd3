"""Generated from data/*.yaml by tools/gen_data.py (make data); do not edit."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DATA: dict[str, Any] = {'components': [{'name': 'gpu-operator',
                 'description': 'NVIDIA GPU Operator - driver, container toolkit, device plugin, '
                                'DCGM and MIG manager on GPU nodes',
                 'chart': {'repository': 'https://helm.ngc.nvidia.com/nvidia',
                           'name': 'gpu-operator',
                           'versionFrom': 'K8s/image/gpu-operator'},
                 'namespace': 'gpu-operator',
                 'dependencies': ['kube-prometheus-stack'],
                 'valuesFrom': {'driver.enabled': 'K8s/config/driver_enabled',
                                'driver.version': 'K8s/image/driver',
                                'driver.rdma.enabled': 'K8s/config/rdma',
                                'driver.manager.version': 'K8s/image/k8s-driver-manager',
                                'hostPaths.driverInstallDir': 'K8s/config/driver_install_dir',
                                'toolkit.enabled': 'K8s/config/toolkit_enabled',
                                'toolkit.version': 'K8s/image/container-toolkit',
                                'toolkit.installDir': 'K8s/config/toolkit_install_dir',
                                'devicePlugin.version': 'K8s/image/k8s-device-plugin',
                                'dcgm.version': 'K8s/image/dcgm',
                                'dcgmExporter.enabled': 'K8s/config/dcgm_exporter_enabled',
                                'dcgmExporter.version': 'K8s/image/dcgm-exporter',
                                'gfd.enabled': 'K8s/config/gfd_enabled',
                                'gfd.version': 'K8s/image/k8s-device-plugin',
                                'nfd.enabled': 'K8s/config/nfd_enabled',
                                'mig.strategy': 'K8s/config/mig_strategy',
                                'migManager.enabled': 'K8s/config/mig',
                                'migManager.version': 'K8s/image/k8s-mig-manager',
                                'gds.enabled': 'K8s/config/gds',
                                'gds.version': 'K8s/image/nvidia-fs',
                                'gdrcopy.enabled': 'K8s/config/gdrcopy',
                                'gdrcopy.version': 'K8s/image/gdrdrv',
                                'cdi.enabled': 'K8s/config/cdi'},
                 'values': {'operator': {'upgradeCRD': True,
                                         'resources': {'limits': {'cpu': '500m', 'memory': '700Mi'},
                                                       'requests': {'cpu': '200m',
                                                                    'memory': '300Mi'}}},
                            'dcgmExporter': {'serviceMonitor': {'enabled': True,
                                                                'interval': '30s',
                                                                'honorLabels': True}},
                            'toolkit': {'env': [{'name': 'ACCEPT_NVIDIA_VISIBLE_DEVICES_ENVVAR_WHEN_UNPRIVILEGED',
                                                 'value': 'false'},
                                                {'name': 'ACCEPT_NVIDIA_VISIBLE_DEVICES_AS_VOLUME_MOUNTS',
                                                 'value': 'true'}]},
                            'validator': {'plugin': {'env': [{'name': 'WITH_WORKLOAD',
                                                              'value': 'false'}]}}},
                 'paths': {'systemNodeSelector': ['node-feature-discovery.master.nodeSelector',
                                                  'node-feature-discovery.gc.nodeSelector'],
                           'systemTolerations': ['operator.tolerations',
                                                 'node-feature-discovery.master.tolerations',
                                                 'node-feature-discovery.gc.tolerations'],
                           'acceleratedTolerations': ['daemonsets.tolerations',
                                                      'node-feature-discovery.worker.tolerations'],
                           'images': [{'repository': 'operator.repository',
                                       'name': 'operator.image',
                                       'tag': 'operator.version',
                                       'default': {'repository': 'nvcr.io/nvidia',
                                                   'name': 'gpu-operator'}},
                                      {'repository': 'validator.repository',
                                       'name': 'validator.image',
                                       'tag': 'validator.version',
                                       'default': {'repository': 'nvcr.io/nvidia',
                                                   'name': 'gpu-operator'}},
                                      {'repository': 'driver.repository',
                                       'name': 'driver.image',
                                       'tag': 'driver.version',
                                       'enabled': 'driver.enabled',
                                       'default': {'repository': 'nvcr.io/nvidia',
                                                   'name': 'driver',
                                                   'tag': '580.105.08',
                                                   'enabled': True}},
                                      {'repository': 'driver.manager.repository',
                                       'name': 'driver.manager.image',
                                       'tag': 'driver.manager.version',
                                       'enabled': 'driver.enabled',
                                       'default': {'repository': 'nvcr.io/nvidia/cloud-native',
                                                   'name': 'k8s-driver-manager',
                                                   'tag': 'v0.9.1',
                                                   'enabled': True}},
                                      {'repository': 'toolkit.repository',
                                       'name': 'toolkit.image',
                                       'tag': 'toolkit.version',
                                       'enabled': 'toolkit.enabled',
                                       'default': {'repository': 'nvcr.io/nvidia/k8s',
                                                   'name': 'container-toolkit',
                                                   'tag': 'v1.18.1',
                                                   'enabled': True}},
                                      {'repository': 'devicePlugin.repository',
                                       'name': 'devicePlugin.image',
                                       'tag': 'devicePlugin.version',
                                       'enabled': 'devicePlugin.enabled',
                                       'default': {'repository': 'nvcr.io/nvidia',
                                                   'name': 'k8s-device-plugin',
                                                   'tag': 'v0.18.1',
                                                   'enabled': True}},
                                      {'repository': 'dcgm.repository',
                                       'name': 'dcgm.image',
                                       'tag': 'dcgm.version',
                                       'enabled': 'dcgm.enabled',
                                       'default': {'repository': 'nvcr.io/nvidia/cloud-native',
                                                   'name': 'dcgm',
                                                   'tag': '4.4.2-1-ubuntu22.04',
                                                   'enabled': False}},
                                      {'repository': 'dcgmExporter.repository',
                                       'name': 'dcgmExporter.image',
                                       'tag': 'dcgmExporter.version',
                                       'enabled': 'dcgmExporter.enabled',
                                       'default': {'repository': 'nvcr.io/nvidia/k8s',
                                                   'name': 'dcgm-exporter',
                                                   'tag': '4.4.2-4.7.0-distroless',
                                                   'enabled': True}},
                                      {'repository': 'gfd.repository',
                                       'name': 'gfd.image',
                                       'tag': 'gfd.version',
                                       'enabled': 'gfd.enabled',
                                       'default': {'repository': 'nvcr.io/nvidia',
                                                   'name': 'k8s-device-plugin',
                                                   'tag': 'v0.18.1',
                                                   'enabled': True}},
                                      {'repository': 'migManager.repository',
                                       'name': 'migManager.image',
                                       'tag': 'migManager.version',
                                       'enabled': 'migManager.enabled',
                                       'default': {'repository': 'nvcr.io/nvidia/cloud-native',
                                                   'name': 'k8s-mig-manager',
                                                   'tag': 'v0.13.1',
                                                   'enabled': True}},
                                      {'repository': 'gds.repository',
                                       'name': 'gds.image',
                                       'tag': 'gds.version',
                                       'enabled': 'gds.enabled',
                                       'default': {'repository': 'nvcr.io/nvidia/cloud-native',
                                                   'name': 'nvidia-fs',
                                                   'tag': '2.26.6',
                                                   'enabled': False}},
                                      {'repository': 'gdrcopy.repository',
                                       'name': 'gdrcopy.image',
                                       'tag': 'gdrcopy.version',
                                       'enabled': 'gdrcopy.enabled',
                                       'default': {'repository': 'nvcr.io/nvidia/cloud-native',
                                                   'name': 'gdrdrv',
                                                   'tag': 'v2.5.1',
                                                   'enabled': False}},
                                      {'repository': 'node-feature-discovery.image.repository',
                                       'tag': 'node-feature-discovery.image.tag',
                                       'enabled': 'nfd.enabled',
                                       'subchart': 'node-feature-discovery v0.18.2',
                                       'default': {'repository': 'registry.k8s.io/nfd/node-feature-discovery',
                                                   'tag': 'v0.18.2',
                                                   'enabled': True}},
                                      {'repository': 'node-feature-discovery.image.repository',
                                       'tag': 'node-feature-discovery.image.tag',
                                       'enabled': 'nfd.enabled',
                                       'default': {'repository': 'registry.k8s.io/nfd/node-feature-discovery',
                                                   'tag': 'v0.18.2',
                                                   'enabled': True}}]},
                 'crds': ['clusterpolicies.nvidia.com', 'nvidiadrivers.nvidia.com']},
                {'name': 'network-operator',
                 'description': 'NVIDIA Network Operator - DOCA-OFED driver, RDMA device plugins '
                                'and secondary networks for ConnectX NICs',
                 'chart': {'repository': 'https://helm.ngc.nvidia.com/nvidia',
                           'name': 'network-operator',
                           'versionFrom': 'K8s/image/network-operator'},
                 'namespace': 'nvidia-network-operator',
                 'dependencies': ['gpu-operator'],
                 'paths': {'systemNodeSelector': ['operator.nodeSelector'],
                           'systemTolerations': ['operator.tolerations'],
                           'images': [{'repository': 'operator.repository',
                                       'name': 'operator.image',
                                       'tag': 'operator.tag',
                                       'default': {'repository': 'nvcr.io/nvidia/cloud-native',
                                                   'name': 'network-operator',
                                                   'tag': 'v25.10.0'}},
                                      {'repository': 'operator.ofedDriver.initContainer.repository',
                                       'name': 'operator.ofedDriver.initContainer.image',
                                       'tag': 'operator.ofedDriver.initContainer.version',
                                       'default': {'repository': 'nvcr.io/nvidia/mellanox',
                                                   'name': 'network-operator-init-container',
                                                   'tag': 'network-operator-v25.10.0'}},
                                      {'repository': 'node-feature-discovery.image.repository',
                                       'tag': 'node-feature-discovery.image.tag',
                                       'enabled': 'nfd.enabled',
                                       'default': {'repository': 'nvcr.io/nvidia/mellanox/node-feature-discovery',
                                                   'tag': 'network-operator-v25.10.0',
                                                   'enabled': True}}]},
                 'crds': ['nicclusterpolicies.mellanox.com',
                          'network-attachment-definitions.k8s.cni.cncf.io']},
                {'name': 'nvidia-dra-driver-gpu',
                 'description': 'NVIDIA DRA Driver for GPUs - ComputeDomains (multi-node NVLink, '
                                'IMEX) and DRA GPU claims',
                 'chart': {'repository': 'https://helm.ngc.nvidia.com/nvidia',
                           'name': 'nvidia-dra-driver-gpu',
                           'versionFrom': 'K8s/image/k8s-dra-driver-gpu'},
                 'namespace': 'nvidia-dra-driver-gpu',
                 'dependencies': ['gpu-operator'],
                 'valuesFrom': {'nvidiaDriverRoot': 'K8s/config/driver_install_dir'},
                 'values': {'gpuResourcesEnabledOverride': False,
                            'resources': {'gpus': {'enabled': False},
                                          'computeDomains': {'enabled': True}}},
                 'paths': {'systemNodeSelector': ['controller.nodeSelector',
                                                  'webhook.nodeSelector'],
                           'systemTolerations': ['controller.tolerations', 'webhook.tolerations'],
                           'acceleratedNodeSelector': ['kubeletPlugin.nodeSelector'],
                           'acceleratedTolerations': ['kubeletPlugin.tolerations'],
                           'images': [{'repository': 'image.repository',
                                       'tag': 'image.tag',
                                       'default': {'repository': 'nvcr.io/nvidia/k8s-dra-driver-gpu',
                                                   'tag': 'v25.12.0'}}]},
                 'crds': ['computedomains.resource.nvidia.com',
                          'computedomaincliques.resource.nvidia.com']},
                {'name': 'node-feature-discovery',
                 'description': 'Node Feature Discovery on its own, for clusters that run it once '
                                'for several operators (turn nfd_enabled off then)',
                 'chart': {'repository': 'https://kubernetes-sigs.github.io/node-feature-discovery/charts',
                           'name': 'node-feature-discovery',
                           'versionFrom': 'K8s/image/node-feature-discovery'},
                 'namespace': 'node-feature-discovery',
                 'paths': {'systemNodeSelector': ['master.nodeSelector', 'gc.nodeSelector'],
                           'systemTolerations': ['master.tolerations', 'gc.tolerations'],
                           'acceleratedTolerations': ['worker.tolerations'],
                           'images': [{'repository': 'image.repository',
                                       'tag': 'image.tag',
                                       'default': {'repository': 'registry.k8s.io/nfd/node-feature-discovery',
                                                   'tag': 'v0.18.2'}}]}},
                {'name': 'cert-manager',
                 'description': 'cert-manager - certificates for the admission webhooks of the '
                                'operators',
                 'chart': {'repository': 'https://charts.jetstack.io',
                           'name': 'cert-manager',
                           'version': 'v1.17.2'},
                 'namespace': 'cert-manager',
                 'values': {'crds': {'enabled': True},
                            'resources': {'requests': {'cpu': '50m', 'memory': '90Mi'},
                                          'limits': {'cpu': '50m', 'memory': '90Mi'}},
                            'webhook': {'resources': {'requests': {'cpu': '50m', 'memory': '40Mi'},
                                                      'limits': {'cpu': '50m', 'memory': '40Mi'}}},
                            'cainjector': {'resources': {'requests': {'cpu': '50m',
                                                                      'memory': '320Mi'},
                                                         'limits': {'cpu': '50m',
                                                                    'memory': '320Mi'}}}},
                 'paths': {'systemNodeSelector': ['nodeSelector',
                                                  'webhook.nodeSelector',
                                                  'cainjector.nodeSelector',
                                                  'startupapicheck.nodeSelector'],
                           'systemTolerations': ['tolerations',
                                                 'webhook.tolerations',
                                                 'cainjector.tolerations',
                                                 'startupapicheck.tolerations'],
                           'images': [{'repository': 'image.repository',
                                       'tag': 'image.tag',
                                       'default': {'repository': 'quay.io/jetstack/cert-manager-controller',
                                                   'tag': 'v1.17.2'}},
                                      {'repository': 'webhook.image.repository',
                                       'tag': 'webhook.image.tag',
                                       'default': {'repository': 'quay.io/jetstack/cert-manager-webhook',
                                                   'tag': 'v1.17.2'}},
                                      {'repository': 'cainjector.image.repository',
                                       'tag': 'cainjector.image.tag',
                                       'enabled': 'cainjector.enabled',
                                       'default': {'repository': 'quay.io/jetstack/cert-manager-cainjector',
                                                   'tag': 'v1.17.2',
                                                   'enabled': True}},
                                      {'repository': 'acmesolver.image.repository',
                                       'tag': 'acmesolver.image.tag',
                                       'default': {'repository': 'quay.io/jetstack/cert-manager-acmesolver',
                                                   'tag': 'v1.17.2'}},
                                      {'repository': 'startupapicheck.image.repository',
                                       'tag': 'startupapicheck.image.tag',
                                       'enabled': 'startupapicheck.enabled',
                                       'default': {'repository': 'quay.io/jetstack/cert-manager-startupapicheck',
                                                   'tag': 'v1.17.2',
                                                   'enabled': True}}]},
                 'crds': ['certificates.cert-manager.io',
                          'certificaterequests.cert-manager.io',
                          'issuers.cert-manager.io',
                          'clusterissuers.cert-manager.io',
                          'orders.acme.cert-manager.io',
                          'challenges.acme.cert-manager.io'],
                 'webhooks': ['cert-manager-webhook']},
                {'name': 'kai-scheduler',
                 'description': 'KAI Scheduler - gang scheduling, queues and GPU sharing for AI '
                                'workloads',
                 'chart': {'repository': 'oci://ghcr.io/nvidia/kai-scheduler',
                           'name': 'kai-scheduler',
                           'version': 'v0.13.0'},
                 'namespace': 'kai-scheduler',
                 'dependencies': ['gpu-operator'],
                 'paths': {'systemNodeSelector': ['global.nodeSelector'],
                           'systemTolerations': ['global.tolerations'],
                           'images': [{'registry': 'global.registry',
                                       'name': 'operator.image.name',
                                       'tag': 'global.tag',
                                       'default': {'registry': 'ghcr.io/nvidia/kai-scheduler',
                                                   'name': 'operator',
                                                   'tag': 'v0.13.0'}},
                                      {'registry': 'global.registry',
                                       'name': 'scheduler.image.name',
                                       'tag': 'global.tag',
                                       'default': {'registry': 'ghcr.io/nvidia/kai-scheduler',
                                                   'name': 'scheduler',
                                                   'tag': 'v0.13.0'}},
                                      {'registry': 'global.registry',
                                       'name': 'binder.image.name',
                                       'tag': 'global.tag',
                                       'default': {'registry': 'ghcr.io/nvidia/kai-scheduler',
                                                   'name': 'binder',
                                                   'tag': 'v0.13.0'}},
                                      {'registry': 'global.registry',
                                       'name': 'binder.resourceReservationImage.name',
                                       'tag': 'global.tag',
                                       'default': {'registry': 'ghcr.io/nvidia/kai-scheduler',
                                                   'name': 'resourcereservation',
                                                   'tag': 'v0.13.0'}},
                                      {'registry': 'global.registry',
                                       'name': 'podgrouper.image.name',
                                       'tag': 'global.tag',
                                       'default': {'registry': 'ghcr.io/nvidia/kai-scheduler',
                                                   'name': 'podgrouper',
                                                   'tag': 'v0.13.0'}},
                                      {'registry': 'global.registry',
                                       'name': 'podgroupcontroller.image.name',
                                       'tag': 'global.tag',
                                       'default': {'registry': 'ghcr.io/nvidia/kai-scheduler',
                                                   'name': 'podgroupcontroller',
                                                   'tag': 'v0.13.0'}},
                                      {'registry': 'global.registry',
                                       'name': 'queuecontroller.image.name',
                                       'tag': 'global.tag',
                                       'default': {'registry': 'ghcr.io/nvidia/kai-scheduler',
                                                   'name': 'queuecontroller',
                                                   'tag': 'v0.13.0'}},
                                      {'registry': 'global.registry',
                                       'name': 'admission.image.name',
                                       'tag': 'global.tag',
                                       'default': {'registry': 'ghcr.io/nvidia/kai-scheduler',
                                                   'name': 'admission',
                                                   'tag': 'v0.13.0'}}]},
                 'crds': ['queues.scheduling.run.ai',
                          'podgroups.scheduling.run.ai',
                          'bindrequests.scheduling.run.ai',
                          'configs.kai.scheduler',
                          'schedulingshards.kai.scheduler',
                          'topologies.kai.scheduler']},
                {'name': 'kube-prometheus-stack',
                 'description': 'Prometheus, Alertmanager and Grafana - scrape DCGM GPU metrics '
                                'and serve them to autoscalers',
                 'chart': {'repository': 'https://prometheus-community.github.io/helm-charts',
                           'name': 'kube-prometheus-stack',
                           'version': '82.8.0'},
                 'namespace': 'monitoring',
                 'values': {'fullnameOverride': 'kube-prometheus',
                            'prometheus': {'prometheusSpec': {'serviceMonitorSelectorNilUsesHelmValues': False,
                                                              'podMonitorSelectorNilUsesHelmValues': False,
                                                              'serviceMonitorNamespaceSelector': {},
                                                              'resources': {'requests': {'cpu': '500m',
                                                                                         'memory': '1Gi'},
                                                                            'limits': {'cpu': 2,
                                                                                       'memory': '2Gi'}},
                                                              'storageSpec': {'emptyDir': {'medium': '',
                                                                                           'sizeLimit': '10Gi'}},
                                                              'retention': '15d'}},
                            'alertmanager': {'alertmanagerSpec': {'resources': {'requests': {'cpu': '100m',
                                                                                             'memory': '128Mi'},
                                                                                'limits': {'cpu': '500m',
                                                                                           'memory': '512Mi'}}}}},
                 'paths': {'systemNodeSelector': ['prometheus.prometheusSpec.nodeSelector',
                                                  'alertmanager.alertmanagerSpec.nodeSelector',
                                                  'prometheusOperator.nodeSelector',
                                                  'prometheusOperator.admissionWebhooks.patch.nodeSelector',
                                                  'thanosRuler.thanosRulerSpec.nodeSelector',
                                                  'grafana.nodeSelector',
                                                  'kube-state-metrics.nodeSelector'],
                           'systemTolerations': ['prometheus.prometheusSpec.tolerations',
                                                 'alertmanager.alertmanagerSpec.tolerations',
                                                 'prometheusOperator.tolerations',
                                                 'prometheusOperator.admissionWebhooks.patch.tolerations',
                                                 'thanosRuler.thanosRulerSpec.tolerations',
                                                 'grafana.tolerations',
                                                 'kube-state-metrics.tolerations'],
                           'acceleratedTolerations': ['prometheus-node-exporter.tolerations'],
                           'images': [{'registry': 'prometheus.prometheusSpec.image.registry',
                                       'repository': 'prometheus.prometheusSpec.image.repository',
                                       'tag': 'prometheus.prometheusSpec.image.tag',
                                       'default': {'registry': 'quay.io',
                                                   'repository': 'prometheus/prometheus',
                                                   'tag': 'v3.10.0'}},
                                      {'registry': 'alertmanager.alertmanagerSpec.image.registry',
                                       'repository': 'alertmanager.alertmanagerSpec.image.repository',
                                       'tag': 'alertmanager.alertmanagerSpec.image.tag',
                                       'enabled': 'alertmanager.enabled',
                                       'default': {'registry': 'quay.io',
                                                   'repository': 'prometheus/alertmanager',
                                                   'tag': 'v0.31.1',
                                                   'enabled': True}},
                                      {'registry': 'prometheusOperator.image.registry',
                                       'repository': 'prometheusOperator.image.repository',
                                       'tag': 'prometheusOperator.image.tag',
                                       'default': {'registry': 'quay.io',
                                                   'repository': 'prometheus-operator/prometheus-operator',
                                                   'tag': 'v0.89.0'}},
                                      {'registry': 'prometheusOperator.prometheusConfigReloader.image.registry',
                                       'repository': 'prometheusOperator.prometheusConfigReloader.image.repository',
                                       'tag': 'prometheusOperator.prometheusConfigReloader.image.tag',
                                       'default': {'registry': 'quay.io',
                                                   'repository': 'prometheus-operator/prometheus-config-reloader',
                                                   'tag': 'v0.89.0'}},
                                      {'registry': 'prometheusOperator.admissionWebhooks.patch.image.registry',
                                       'repository': 'prometheusOperator.admissionWebhooks.patch.image.repository',
                                       'tag': 'prometheusOperator.admissionWebhooks.patch.image.tag',
                                       'enabled': 'prometheusOperator.admissionWebhooks.patch.enabled',
                                       'default': {'registry': 'ghcr.io',
                                                   'repository': 'jkroepke/kube-webhook-certgen',
                                                   'tag': '1.7.8',
                                                   'enabled': True}},
                                      {'registry': 'prometheusOperator.thanosImage.registry',
                                       'repository': 'prometheusOperator.thanosImage.repository',
                                       'tag': 'prometheusOperator.thanosImage.tag',
                                       'enabled': 'thanosRuler.enabled',
                                       'default': {'registry': 'quay.io',
                                                   'repository': 'thanos/thanos',
                                                   'tag': 'v0.41.0',
                                                   'enabled': False}},
                                      {'registry': 'kube-state-metrics.image.registry',
                                       'repository': 'kube-state-metrics.image.repository',
                                       'tag': 'kube-state-metrics.image.tag',
                                       'enabled': 'kubeStateMetrics.enabled',
                                       'subchart': 'kube-state-metrics 7.2.0',
                                       'default': {'registry': 'registry.k8s.io',
                                                   'repository': 'kube-state-metrics/kube-state-metrics',
                                                   'tag': 'v2.18.0',
                                                   'enabled': True}},
                                      {'registry': 'prometheus-node-exporter.image.registry',
                                       'repository': 'prometheus-node-exporter.image.repository',
                                       'tag': 'prometheus-node-exporter.image.tag',
                                       'enabled': 'nodeExporter.enabled',
                                       'subchart': 'prometheus-node-exporter 4.52.0',
                                       'default': {'registry': 'quay.io',
                                                   'repository': 'prometheus/node-exporter',
                                                   'tag': 'v1.10.2',
                                                   'enabled': True}},
                                      {'registry': 'grafana.image.registry',
                                       'repository': 'grafana.image.repository',
                                       'tag': 'grafana.image.tag',
                                       'enabled': 'grafana.enabled',
                                       'subchart': 'grafana 11.2.3',
                                       'default': {'registry': 'docker.io',
                                                   'repository': 'grafana/grafana',
                                                   'tag': '12.3.1',
                                                   'enabled': True}}]},
                 'crds': ['servicemonitors.monitoring.coreos.com',
                          'podmonitors.monitoring.coreos.com',
                          'prometheusrules.monitoring.coreos.com',
                          'probes.monitoring.coreos.com',
                          'scrapeconfigs.monitoring.coreos.com',
                          'prometheuses.monitoring.coreos.com',
                          'prometheusagents.monitoring.coreos.com',
                          'alertmanagers.monitoring.coreos.com',
                          'alertmanagerconfigs.monitoring.coreos.com',
                          'thanosrulers.monitoring.coreos.com'],
                 'webhooks': ['kube-prometheus-operator']},
                {'name': 'prometheus-adapter',
                 'description': 'Prometheus Adapter - GPU utilisation and memory as custom and '
                                'external metrics for autoscaling',
                 'chart': {'repository': 'https://prometheus-community.github.io/helm-charts',
                           'name': 'prometheus-adapter',
                           'version': '5.3.0'},
                 'namespace': 'monitoring',
                 'dependencies': ['kube-prometheus-stack'],
                 'values': {'prometheus': {'url': 'http://kube-prometheus-prometheus',
                                           'port': 9090},
                            'metricsRelistInterval': '30s',
                            'replicas': 1,
                            'resources': {'requests': {'cpu': '100m', 'memory': '128Mi'},
                                          'limits': {'cpu': '250m', 'memory': '256Mi'}},
                            'rules': {'default': False,
                                      'custom': [{'seriesQuery': 'DCGM_FI_DEV_GPU_UTIL{namespace!="",pod!=""}',
                                                  'metricsQuery': 'last_over_time(<<.Series>>[1m])',
                                                  'name': {'matches': 'DCGM_FI_DEV_GPU_UTIL',
                                                           'as': 'gpu_utilization'},
                                                  'resources': {'overrides': {'namespace': {'resource': 'namespace'},
                                                                              'pod': {'resource': 'pod'}}}},
                                                 {'seriesQuery': 'DCGM_FI_DEV_FB_USED{namespace!="",pod!=""}',
                                                  'metricsQuery': 'last_over_time(<<.Series>>[1m])',
                                                  'name': {'matches': 'DCGM_FI_DEV_FB_USED',
                                                           'as': 'gpu_memory_used'},
                                                  'resources': {'overrides': {'namespace': {'resource': 'namespace'},
                                                                              'pod': {'resource': 'pod'}}}},
                                                 {'seriesQuery': 'DCGM_FI_DEV_POWER_USAGE{namespace!="",pod!=""}',
                                                  'metricsQuery': 'last_over_time(<<.Series>>[1m])',
                                                  'name': {'matches': 'DCGM_FI_DEV_POWER_USAGE',
                                                           'as': 'gpu_power_usage'},
                                                  'resources': {'overrides': {'namespace': {'resource': 'namespace'},
                                                                              'pod': {'resource': 'pod'}}}}],
                                      'external': [{'seriesQuery': 'DCGM_FI_DEV_GPU_UTIL',
                                                    'metricsQuery': 'avg(avg_over_time(DCGM_FI_DEV_GPU_UTIL[2m]))',
                                                    'name': {'matches': 'DCGM_FI_DEV_GPU_UTIL',
                                                             'as': 'dcgm_gpu_utilization'},
                                                    'resources': {'namespaced': False}},
                                                   {'seriesQuery': 'DCGM_FI_DEV_FB_USED',
                                                    'metricsQuery': 'avg(avg_over_time(DCGM_FI_DEV_FB_USED[2m]))',
                                                    'name': {'matches': 'DCGM_FI_DEV_FB_USED',
                                                             'as': 'dcgm_gpu_memory_used'},
                                                    'resources': {'namespaced': False}}]}},
                 'paths': {'systemNodeSelector': ['nodeSelector'],
                           'systemTolerations': ['tolerations'],
                           'images': [{'repository': 'image.repository',
                                       'tag': 'image.tag',
                                       'default': {'repository': 'registry.k8s.io/prometheus-adapter/prometheus-adapter',
                                                   'tag': 'v0.12.0'}}]}},
                {'name': 'nvsentinel',
                 'description': 'NVSentinel - GPU and node health monitoring from DCGM and syslog, '
                                'with quarantine hooks',
                 'chart': {'repository': 'oci://ghcr.io/nvidia',
                           'name': 'nvsentinel',
                           'version': 'v1.1.0'},
                 'namespace': 'nvsentinel',
                 'dependencies': ['cert-manager', 'gpu-operator'],
                 'paths': {'systemNodeSelector': ['global.systemNodeSelector'],
                           'systemTolerations': ['global.systemNodeTolerations'],
                           'acceleratedNodeSelector': ['global.nodeSelector'],
                           'acceleratedTolerations': ['global.tolerations'],
                           'images': [{'repository': 'platformConnector.image.repository',
                                       'tag': 'global.image.tag',
                                       'default': {'repository': 'ghcr.io/nvidia/nvsentinel/platform-connectors',
                                                   'tag': 'v1.1.0'}},
                                      {'repository': 'global.initContainerImage.repository',
                                       'tag': 'global.initContainerImage.tag',
                                       'default': {'repository': 'docker.io/bitnamilegacy/os-shell',
                                                   'tag': '12-debian-12-r30'}},
                                      {'repository': 'gpu-health-monitor.image.repository',
                                       'tag': 'global.image.tag',
                                       'suffix': '-dcgm-3.x',
                                       'enabled': 'global.gpuHealthMonitor.enabled',
                                       'subchart': 'gpu-health-monitor 0.1.0',
                                       'default': {'repository': 'ghcr.io/nvidia/nvsentinel/gpu-health-monitor',
                                                   'tag': 'v1.1.0',
                                                   'enabled': True}},
                                      {'repository': 'gpu-health-monitor.image.repository',
                                       'tag': 'global.image.tag',
                                       'suffix': '-dcgm-4.x',
                                       'enabled': 'global.gpuHealthMonitor.enabled',
                                       'subchart': 'gpu-health-monitor 0.1.0',
                                       'default': {'repository': 'ghcr.io/nvidia/nvsentinel/gpu-health-monitor',
                                                   'tag': 'v1.1.0',
                                                   'enabled': True}},
                                      {'repository': 'syslog-health-monitor.image.repository',
                                       'tag': 'global.image.tag',
                                       'enabled': 'global.syslogHealthMonitor.enabled',
                                       'subchart': 'syslog-health-monitor 0.1.0',
                                       'default': {'repository': 'ghcr.io/nvidia/nvsentinel/syslog-health-monitor',
                                                   'tag': 'v1.1.0',
                                                   'enabled': True}},
                                      {'repository': 'labeler.image.repository',
                                       'tag': 'global.image.tag',
                                       'enabled': 'global.labeler.enabled',
                                       'subchart': 'labeler 0.1.0',
                                       'default': {'repository': 'ghcr.io/nvidia/nvsentinel/labeler',
                                                   'tag': 'v1.1.0',
                                                   'enabled': True}},
                                      {'repository': 'metadata-collector.image.repository',
                                       'tag': 'global.image.tag',
                                       'enabled': 'global.metadataCollector.enabled',
                                       'subchart': 'metadata-collector 0.1.0',
                                       'default': {'repository': 'ghcr.io/nvidia/nvsentinel/metadata-collector',
                                                   'tag': 'v1.1.0',
                                                   'enabled': True}}]}},
                {'name': 'skyhook-operator',
                 'description': 'Skyhook - rolls out node tuning (kernel settings, packages) to '
                                'GPU nodes without reimaging',
                 'chart': {'repository': 'https://helm.ngc.nvidia.com/nvidia/skyhook',
                           'name': 'skyhook-operator',
                           'version': 'v0.13.1'},
                 'namespace': 'skyhook',
                 'values': {'limitRange': {'default': {'cpu': '1', 'memory': '1Gi'},
                                           'defaultRequest': {'cpu': '500m', 'memory': '512Mi'}}},
                 'paths': {'systemNodeSelector': ['controllerManager.selectors'],
                           'systemTolerations': ['controllerManager.tolerations'],
                           'acceleratedTaint': ['controllerManager.manager.env.runtimeRequiredTaint'],
                           'nodeCount': ['estimatedNodeCount'],
                           'images': [{'repository': 'controllerManager.manager.image.repository',
                                       'tag': 'controllerManager.manager.image.tag',
                                       'default': {'repository': 'nvcr.io/nvidia/skyhook/operator',
                                                   'tag': 'v0.13.0'}},
                                      {'repository': 'controllerManager.manager.agent.repository',
                                       'tag': 'controllerManager.manager.agent.tag',
                                       'default': {'repository': 'nvcr.io/nvidia/skyhook/agent',
                                                   'tag': 'v6.4.1'}},
                                      {'repository': 'controllerManager.kubeRbacProxy.image.repository',
                                       'tag': 'controllerManager.kubeRbacProxy.image.tag',
                                       'default': {'repository': 'quay.io/brancz/kube-rbac-proxy',
                                                   'tag': 'v0.15.0'}}]}},
                {'name': 'k8s-nim-operator',
                 'description': 'NVIDIA NIM Operator - deploys and scales NIM inference '
                                'microservices and their model caches',
                 'chart': {'repository': 'https://helm.ngc.nvidia.com/nvidia',
                           'name': 'k8s-nim-operator',
                           'version': '3.0.0'},
                 'namespace': 'nim-operator',
                 'dependencies': ['gpu-operator'],
                 'paths': {'systemNodeSelector': ['operator.nodeSelector'],
                           'systemTolerations': ['operator.tolerations'],
                           'images': [{'repository': 'operator.image.repository',
                                       'tag': 'operator.image.tag',
                                       'default': {'repository': 'ghcr.io/nvidia/k8s-nim-operator',
                                                   'tag': 'release-3.0'}}]}},
                {'name': 'kubeflow-trainer',
                 'description': 'Kubeflow Trainer - TrainJob API and JobSet controller for '
                                'distributed PyTorch training',
                 'chart': {'repository': 'oci://ghcr.io/kubeflow/charts',
                           'name': 'kubeflow-trainer',
                           'version': '2.1.0'},
                 'namespace': 'kubeflow-system',
                 'dependencies': ['gpu-operator'],
                 'values': {'manager': {'resources': {'requests': {'cpu': '100m',
                                                                   'memory': '256Mi'},
                                                      'limits': {'cpu': '500m',
                                                                 'memory': '512Mi'}}}},
                 'paths': {'systemNodeSelector': ['manager.nodeSelector'],
                           'systemTolerations': ['manager.tolerations'],
                           'images': [{'registry': 'image.registry',
                                       'repository': 'image.repository',
                                       'tag': 'image.tag',
                                       'default': {'registry': 'ghcr.io',
                                                   'repository': 'kubeflow/trainer/trainer-controller-manager',
                                                   'tag': 'v2.1.0'}}]},
                 'crds': ['clustertrainingruntimes.trainer.kubeflow.org',
                          'trainingruntimes.trainer.kubeflow.org',
                          'trainjobs.trainer.kubeflow.org'],
                 'manifests': [{'apiVersion': 'trainer.kubeflow.org/v1alpha1',
                                'kind': 'ClusterTrainingRuntime',
                                'metadata': {'name': 'torch-distributed',
                                             'labels': {'trainer.kubeflow.org/framework': 'torch'}},
                                'spec': {'mlPolicy': {'numNodes': 1,
                                                      'torch': {'numProcPerNode': 'auto'}},
                                         'template': {'spec': {'replicatedJobs': [{'name': 'node',
                                                                                   'template': {'metadata': {'labels': {'trainer.kubeflow.org/trainjob-ancestor-step': 'trainer'}},
                                                                                                'spec': {'template': {'spec': {'containers': [{'name': 'node',
                                                                                                                                               'image': 'pytorch/pytorch:2.9.1-cuda12.8-cudnn9-runtime'}]}}}}}]}}}}]},
                {'name': 'aws-efa-k8s-device-plugin',
                 'description': 'AWS EFA device plugin - advertises Elastic Fabric Adapter '
                                'interfaces for GPUDirect RDMA on EKS',
                 'chart': {'repository': 'https://aws.github.io/eks-charts',
                           'name': 'aws-efa-k8s-device-plugin',
                           'versionFrom': 'K8s/image/aws-efa-k8s-device-plugin'},
                 'namespace': 'kube-system',
                 'valuesFrom': {'image.tag': 'K8s/image/aws-efa-k8s-device-plugin'},
                 'values': {'resources': {'requests': {'cpu': '10m', 'memory': '20Mi'}}},
                 'paths': {'acceleratedNodeSelector': ['nodeSelector'],
                           'acceleratedTolerations': ['tolerations'],
                           'images': [{'repository': 'image.repository',
                                       'tag': 'image.tag',
                                       'default': {'repository': '602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/aws-efa-k8s-device-plugin',
                                                   'tag': 'v0.5.3'}}]}},
                {'name': 'dynamo-crds',
                 'description': 'NVIDIA Dynamo custom resource definitions (DynamoGraphDeployment '
                                'and friends)',
                 'chart': {'repository': 'https://helm.ngc.nvidia.com/nvidia/ai-dynamo',
                           'name': 'dynamo-crds',
                           'version': '0.9.0'},
                 'namespace': 'dynamo-system'},
                {'name': 'dynamo-platform',
                 'description': 'NVIDIA Dynamo platform - operator for disaggregated, '
                                'KV-cache-aware LLM inference',
                 'chart': {'repository': 'https://helm.ngc.nvidia.com/nvidia/ai-dynamo',
                           'name': 'dynamo-platform',
                           'version': '0.9.0'},
                 'namespace': 'dynamo-system',
                 'dependencies': ['dynamo-crds',
                                  'kube-prometheus-stack',
                                  'kai-scheduler',
                                  'gpu-operator'],
                 'values': {'dynamo-operator': {'controllerManager': {'manager': {'image': {'tag': '0.9.0'}}},
                                                'discoveryBackend': 'kubernetes',
                                                'nats': {'enabled': False},
                                                'dynamo': {'metrics': {'prometheusEndpoint': 'http://kube-prometheus-prometheus.monitoring.svc.cluster.local:9090'}}},
                            'kai-scheduler': {'enabled': False},
                            'grove': {'enabled': True},
                            'etcd': {'enabled': False},
                            'nats': {'enabled': False}},
                 'paths': {'systemTolerations': ['dynamo-operator.controllerManager.tolerations'],
                           'images': [{'repository': 'dynamo-operator.controllerManager.manager.image.repository',
                                       'tag': 'dynamo-operator.controllerManager.manager.image.tag',
                                       'default': {'repository': 'nvcr.io/nvidia/ai-dynamo/kubernetes-operator',
                                                   'tag': '0.7.1'}}]}}],
 'base': {'types': [{'type': 'OS',
                     'subtypes': [{'subtype': 'kmod',
                                   'data': {'ecc': True,
                                            'gpu_sched': True,
                                            'nouveau': False,
                                            'nvidia': True,
                                            'nvidia_modeset': True,
                                            'nvidia_uvm': True,
                                            'sunrpc': True,
                                            'ttm': True},
                                   'context': {'ecc': 'GPU error detection and correction',
                                               'gpu_sched': 'GPU workload scheduling and resource '
                                                            'management',
                                               'nouveau': 'The open-source nouveau driver must not '
                                                          'be loaded; it claims the GPU before the '
                                                          'NVIDIA driver can bind',
                                               'nvidia': 'Core NVIDIA GPU driver',
                                               'nvidia_modeset': 'NVIDIA display mode setting for '
                                                                 'GPU configuration',
                                               'nvidia_uvm': 'Unified Virtual Memory for CPU-GPU '
                                                             'shared memory (required by CUDA)',
                                               'sunrpc': 'RPC framework used by NFS-backed '
                                                         'datasets and checkpoints',
                                               'ttm': 'Translation Table Manager for GPU memory '
                                                      'management'}},
                                  {'subtype': 'grub',
                                   'data': {'audit': '1',
                                            'audit_backlog_limit': '8192',
                                            'nokaslr': ''},
                                   'context': {'audit': 'System auditing (minimal GPU impact)',
                                               'audit_backlog_limit': 'Audit queue size (minimal '
                                                                      'GPU impact)',
                                               'nokaslr': 'Deterministic kernel addressing for '
                                                          'consistent GPU latency'}},
                                  {'subtype': 'sysctl',
                                   'data': {'/proc/sys/fs/aio-max-nr': '65536',
                                            '/proc/sys/fs/file-max': '9223372036854775807',
                                            '/proc/sys/fs/inotify/max_user_watches': '524288',
                                            '/proc/sys/fs/nr_open': '1048576',
                                            '/proc/sys/kernel/pid_max': '4194304',
                                            '/proc/sys/kernel/sched_rt_period_us': '1000000',
                                            '/proc/sys/kernel/sched_rt_runtime_us': '950000',
                                            '/proc/sys/kernel/shmall': '18446744073692774399',
                                            '/proc/sys/kernel/shmmax': '18446744073692774399',
                                            '/proc/sys/kernel/threads-max': '16512444',
                                            '/proc/sys/sunrpc/tcp_max_slot_table_entries': '65536',
                                            '/proc/sys/sunrpc/transports/tcp': '1048576',
                                            '/proc/sys/vm/dirty_background_ratio': '10',
                                            '/proc/sys/vm/dirty_ratio': '20',
                                            '/proc/sys/vm/max_map_count': '262144',
                                            '/proc/sys/vm/overcommit_memory': '1',
                                            '/proc/sys/vm/swappiness': '60',
                                            '/proc/sys/vm/zone_reclaim_mode': '0'},
                                   'context': {'/proc/sys/fs/aio-max-nr': 'Maximum concurrent '
                                                                          'async I/O operations '
                                                                          'for GPU data transfers',
                                               '/proc/sys/fs/file-max': 'System-wide file '
                                                                        'descriptor limit for GPU '
                                                                        'container connections',
                                               '/proc/sys/fs/inotify/max_user_watches': 'File '
                                                                                        'watch '
                                                                                        'limit for '
                                                                                        'container '
                                                                                        'monitoring '
                                                                                        'and '
                                                                                        'checkpointing',
                                               '/proc/sys/fs/nr_open': 'Per-process file '
                                                                       'descriptor limit for GPU '
                                                                       'applications',
                                               '/proc/sys/kernel/pid_max': 'Maximum process IDs '
                                                                           'for containerized '
                                                                           'multi-GPU workloads',
                                               '/proc/sys/kernel/sched_rt_period_us': 'Real-time '
                                                                                      'scheduling '
                                                                                      'period for '
                                                                                      'GPU driver '
                                                                                      'threads',
                                               '/proc/sys/kernel/sched_rt_runtime_us': 'Real-time '
                                                                                       'CPU budget '
                                                                                       'for GPU '
                                                                                       'kernel '
                                                                                       'operations',
                                               '/proc/sys/kernel/shmall': 'Total shared memory for '
                                                                          'IPC between GPU '
                                                                          'processes',
                                               '/proc/sys/kernel/shmmax': 'Maximum shared memory '
                                                                          'segment size for GPU '
                                                                          'data sharing',
                                               '/proc/sys/kernel/threads-max': 'Maximum threads '
                                                                               'for parallel GPU '
                                                                               'workloads',
                                               '/proc/sys/sunrpc/tcp_max_slot_table_entries': 'TCP '
                                                                                              'RPC '
                                                                                              'connection '
                                                                                              'slots '
                                                                                              'for '
                                                                                              'NFS-backed '
                                                                                              'datasets',
                                               '/proc/sys/sunrpc/transports/tcp': 'TCP transport '
                                                                                  'buffer size for '
                                                                                  'RPC over '
                                                                                  'network',
                                               '/proc/sys/vm/dirty_background_ratio': 'Background '
                                                                                      'writeback '
                                                                                      'threshold '
                                                                                      'for GPU '
                                                                                      'checkpoint '
                                                                                      'files',
                                               '/proc/sys/vm/dirty_ratio': 'Foreground writeback '
                                                                           'threshold for GPU '
                                                                           'storage operations',
                                               '/proc/sys/vm/max_map_count': 'Memory mapping limit '
                                                                             'for GPU memory '
                                                                             'allocations',
                                               '/proc/sys/vm/overcommit_memory': 'Always allow '
                                                                                 'memory '
                                                                                 'overcommit for '
                                                                                 'flexible GPU '
                                                                                 'container '
                                                                                 'allocation',
                                               '/proc/sys/vm/swappiness': 'Swap tendency (lower '
                                                                          'values keep GPU-related '
                                                                          'memory resident)',
                                               '/proc/sys/vm/zone_reclaim_mode': 'Disable NUMA '
                                                                                 'zone reclaim for '
                                                                                 'consistent '
                                                                                 'cross-node GPU '
                                                                                 'access'}}]},
                    {'type': 'SystemD',
                     'subtypes': [{'subtype': 'containerd.service',
                                   'data': {'CPUAccounting': True,
                                            'CPUQuotaPerSecUSec': 18446744073709551615,
                                            'CPUSchedulingPolicy': '0',
                                            'CPUShares': 18446744073709551615,
                                            'CPUWeight': 18446744073709551615,
                                            'Delegate': True,
                                            'DelegateControllers': '[cpu cpuacct cpuset io blkio '
                                                                   'memory devices pids '
                                                                   'bpf-firewall bpf-devices '
                                                                   'bpf-foreign bpf-socket-bind]',
                                            'IOSchedulingClass': '2',
                                            'IOSchedulingPriority': '4',
                                            'IOWeight': 18446744073709551615,
                                            'LimitNOFILE': 18446744073709551615,
                                            'LimitNPROC': 18446744073709551615},
                                   'context': {'CPUAccounting': 'Enables CPU usage tracking for '
                                                                'container workloads',
                                               'CPUQuotaPerSecUSec': 'No CPU quota on the runtime '
                                                                     '(systemd reports infinity as '
                                                                     '2^64-1)',
                                               'CPUSchedulingPolicy': 'Default (SCHED_OTHER) '
                                                                      'scheduling policy',
                                               'CPUShares': 'No legacy CPU shares set (systemd '
                                                            'default)',
                                               'CPUWeight': 'No CPU weight set, so GPU containers '
                                                            'get full CPU access',
                                               'Delegate': 'Lets the container runtime manage '
                                                           'cgroups for GPU resource isolation',
                                               'DelegateControllers': 'Full cgroup delegation for '
                                                                      'GPU device and memory '
                                                                      'control',
                                               'IOSchedulingClass': 'Best-effort I/O scheduling '
                                                                    'class',
                                               'IOSchedulingPriority': 'I/O priority for container '
                                                                       'storage operations',
                                               'IOWeight': 'No I/O weight set (systemd default)',
                                               'LimitNOFILE': 'Unlimited file descriptors for '
                                                              'container connections',
                                               'LimitNPROC': 'Unlimited process count for GPU '
                                                             'containers'}}]},
                    {'type': 'K8s',
                     'subtypes': [{'subtype': 'server',
                                   'data': {'version': 'v1.34.2'},
                                   'context': {'version': 'Kubernetes version validated with GPU '
                                                          'Operator v25.10.1 and driver 580.105.08 '
                                                          '(NVIDIA Cloud Native Stack 17.0)'}},
                                  {'subtype': 'registry',
                                   'data': {'name': 'nvcr.io',
                                            'repo': 'nvidia',
                                            'uri': 'nvcr.io/nvidia'},
                                   'context': {'name': 'NVIDIA NGC container registry for '
                                                       'GPU-optimized images',
                                               'repo': 'NVIDIA NGC repository',
                                               'uri': 'Full URI for accessing NVIDIA NGC registry '
                                                      '(operands live in sub-repositories such as '
                                                      'cloud-native, k8s and mellanox)'}},
                                  {'subtype': 'image',
                                   'data': {'gpu-operator': 'v25.10.1',
                                            'gpu-operator-validator': 'v25.10.1',
                                            'driver': '580.105.08',
                                            'container-toolkit': 'v1.18.1',
                                            'k8s-device-plugin': 'v0.18.1',
                                            'dcgm': '4.4.2-1-ubuntu22.04',
                                            'dcgm-exporter': '4.4.2-4.7.0-distroless',
                                            'gdrdrv': 'v2.5.1',
                                            'nvidia-fs': '2.26.6',
                                            'k8s-driver-manager': 'v0.9.1',
                                            'k8s-mig-manager': 'v0.13.1',
                                            'node-feature-discovery': 'v0.18.2',
                                            'k8s-dra-driver-gpu': 'v25.12.0',
                                            'mpi-operator': '0.6.0',
                                            'training-operator': 'v1',
                                            'network-operator': 'v25.10.0',
                                            'mofed-driver': 'doca3.2.0-25.10-1.2.8.0-2',
                                            'rdma-shared-device-plugin': 'network-operator-v25.10.0',
                                            'sriov-device-plugin': 'network-operator-v25.10.0',
                                            'multus-cni': 'network-operator-v25.10.0',
                                            'whereabouts-ipam': 'v0.7.0',
                                            'container-networking-plugins': 'network-operator-v25.10.0',
                                            'nv-ipam': 'network-operator-v25.10.0',
                                            'nic-feature-discovery': 'network-operator-v25.10.0'},
                                   'context': {'gpu-operator': 'NVIDIA GPU Operator '
                                                               '(nvcr.io/nvidia/gpu-operator) '
                                                               'orchestrating the GPU stack; Helm '
                                                               'chart v25.10.1',
                                               'gpu-operator-validator': 'Validator runs the '
                                                                         'gpu-operator image at '
                                                                         "the operator's version "
                                                                         '(chart appVersion)',
                                               'driver': 'NVIDIA data center driver R580 '
                                                         '(nvcr.io/nvidia/driver), the GPU '
                                                         'Operator v25.10.1 default',
                                               'container-toolkit': 'NVIDIA Container Toolkit '
                                                                    '(nvcr.io/nvidia/k8s/container-toolkit) '
                                                                    'configuring the runtime for '
                                                                    'GPU containers',
                                               'k8s-device-plugin': 'NVIDIA device plugin '
                                                                    '(nvcr.io/nvidia/k8s-device-plugin) '
                                                                    'advertising nvidia.com/gpu; '
                                                                    'the same image runs GPU '
                                                                    'Feature Discovery',
                                               'dcgm': 'Standalone DCGM host engine image '
                                                       '(nvcr.io/nvidia/cloud-native/dcgm); the '
                                                       'chart leaves it off and dcgm-exporter '
                                                       'embeds DCGM',
                                               'dcgm-exporter': 'DCGM exporter '
                                                                '(nvcr.io/nvidia/k8s/dcgm-exporter) '
                                                                'publishing GPU metrics to '
                                                                'Prometheus',
                                               'gdrdrv': 'GDRCopy driver image '
                                                         '(nvcr.io/nvidia/cloud-native/gdrdrv) for '
                                                         'low-latency GPU memory copies over BAR1',
                                               'nvidia-fs': 'GPUDirect Storage kernel module image '
                                                            '(nvcr.io/nvidia/cloud-native/nvidia-fs), '
                                                            'deployed when gds is enabled',
                                               'k8s-driver-manager': 'Driver manager '
                                                                     '(nvcr.io/nvidia/cloud-native/k8s-driver-manager) '
                                                                     'that drains and cordons '
                                                                     'nodes for driver upgrades',
                                               'k8s-mig-manager': 'MIG manager '
                                                                  '(nvcr.io/nvidia/cloud-native/k8s-mig-manager) '
                                                                  'applying mig_profile from the '
                                                                  'node label',
                                               'node-feature-discovery': 'Node Feature Discovery '
                                                                         '(registry.k8s.io/nfd) '
                                                                         'deployed as the GPU '
                                                                         "Operator chart's "
                                                                         'subchart v0.18.2',
                                               'k8s-dra-driver-gpu': 'NVIDIA DRA Driver for GPUs '
                                                                     '(chart nvidia-dra-driver-gpu '
                                                                     '25.12.0) for ComputeDomains '
                                                                     '(multi-node NVLink) and DRA '
                                                                     'GPU claims',
                                               'mpi-operator': 'Kubeflow MPI Operator for '
                                                               'MPI-style distributed training '
                                                               'jobs',
                                               'training-operator': 'Kubeflow Training Operator '
                                                                    'API version (kubeflow.org/v1 '
                                                                    'PyTorchJob and friends)',
                                               'network-operator': 'NVIDIA Network Operator '
                                                                   '(nvcr.io/nvidia/cloud-native/network-operator), '
                                                                   'Helm chart 25.10.0',
                                               'mofed-driver': 'DOCA-OFED driver container '
                                                               '(nvcr.io/nvidia/mellanox/doca-driver) '
                                                               'shipped with Network Operator '
                                                               'v25.10.0',
                                               'rdma-shared-device-plugin': 'RDMA shared device '
                                                                            'plugin '
                                                                            '(nvcr.io/nvidia/mellanox/k8s-rdma-shared-dev-plugin) '
                                                                            'sharing an HCA '
                                                                            'between pods',
                                               'sriov-device-plugin': 'SR-IOV network device '
                                                                      'plugin '
                                                                      '(nvcr.io/nvidia/mellanox/sriov-network-device-plugin) '
                                                                      'allocating VFs to pods',
                                               'multus-cni': 'Multus meta-CNI '
                                                             '(nvcr.io/nvidia/mellanox/multus-cni) '
                                                             'giving pods secondary RDMA '
                                                             'interfaces',
                                               'whereabouts-ipam': 'Whereabouts IPAM, community '
                                                                   'image '
                                                                   'ghcr.io/k8snetworkplumbingwg/whereabouts '
                                                                   '(not in the v25.10.0 release '
                                                                   "images; nv-ipam is NVIDIA's "
                                                                   'IPAM)',
                                               'container-networking-plugins': 'Standard CNI '
                                                                               'plugins '
                                                                               '(nvcr.io/nvidia/mellanox/plugins) '
                                                                               'such as macvlan '
                                                                               'and host-device',
                                               'nv-ipam': 'NVIDIA IPAM plugin '
                                                          '(nvcr.io/nvidia/mellanox/nvidia-k8s-ipam) '
                                                          'assigning addresses on secondary '
                                                          'networks',
                                               'nic-feature-discovery': 'NIC Feature Discovery '
                                                                        '(nvcr.io/nvidia/mellanox/nic-feature-discovery) '
                                                                        'labelling nodes with NIC '
                                                                        'capabilities'}},
                                  {'subtype': 'config',
                                   'data': {'mig': False,
                                            'mig_strategy': 'single',
                                            'mig_profile': 'all-disabled',
                                            'cdi': True,
                                            'rdma': False,
                                            'gds': False,
                                            'gdrcopy': False,
                                            'secure_boot': False,
                                            'vgpu': False,
                                            'use_open_kernel_module': True,
                                            'confidential_computing': False,
                                            'driver_enabled': True,
                                            'driver_install_dir': '/run/nvidia/driver',
                                            'toolkit_enabled': True,
                                            'toolkit_install_dir': '/usr/local/nvidia',
                                            'dcgm_exporter_enabled': True,
                                            'gfd_enabled': True,
                                            'nfd_enabled': True},
                                   'context': {'mig': 'Multi-Instance GPU off; each pod gets whole '
                                                      'GPUs',
                                               'mig_strategy': 'single=uniform MIG across all '
                                                               'GPUs, mixed=per-GPU MIG '
                                                               'configuration for diverse '
                                                               'workloads',
                                               'mig_profile': 'MIG partitioning profile - '
                                                              'all-disabled uses full GPU, '
                                                              'numbered profiles (1g/2g/3g/4g/7g) '
                                                              'split GPU into instances',
                                               'cdi': 'Container Device Interface injects GPUs '
                                                      'into containers (GPU Operator v25.10 '
                                                      'default)',
                                               'rdma': 'GPUDirect RDMA (NIC reads and writes GPU '
                                                       'memory directly) off unless the intent '
                                                       'needs multi-node traffic',
                                               'gds': 'GPUDirect Storage (nvidia-fs) off; enable '
                                                      'for direct NVMe/RDMA-storage-to-GPU data '
                                                      'paths',
                                               'gdrcopy': 'GDRCopy off unless the intent needs '
                                                          'low-latency GPU memory copies',
                                               'secure_boot': 'UEFI Secure Boot off; when on, the '
                                                              'driver modules must be signed',
                                               'vgpu': 'Bare-metal or passthrough GPUs, no vGPU '
                                                       'manager',
                                               'use_open_kernel_module': 'Open GPU kernel modules, '
                                                                         "NVIDIA's recommended "
                                                                         'flavour for Turing and '
                                                                         'newer with R560+ drivers '
                                                                         '(required on Blackwell)',
                                               'confidential_computing': 'GPU Confidential '
                                                                         'Computing (encrypted GPU '
                                                                         'memory, attestation) off',
                                               'driver_enabled': 'The GPU Operator installs the '
                                                                 'driver as a container',
                                               'driver_install_dir': 'Host path of the driver root '
                                                                     '(GPU Operator default for '
                                                                     'the containerized driver)',
                                               'toolkit_enabled': 'The GPU Operator installs and '
                                                                  'configures the NVIDIA Container '
                                                                  'Toolkit',
                                               'toolkit_install_dir': 'Host path where the toolkit '
                                                                      'container installs its '
                                                                      'binaries (chart default)',
                                               'dcgm_exporter_enabled': 'DCGM exporter publishes '
                                                                        'GPU metrics for '
                                                                        'monitoring',
                                               'gfd_enabled': 'GPU Feature Discovery labels nodes '
                                                              'with GPU model, memory and MIG '
                                                              'capability',
                                               'nfd_enabled': 'Node Feature Discovery labels nodes '
                                                              'so the operator can find GPU (PCI '
                                                              '10de) nodes'}},
                                  {'subtype': 'network-config',
                                   'data': {'deploy_ofed': False,
                                            'use_host_mofed': False,
                                            'enable_sriov': False,
                                            'enable_multus': True,
                                            'enable_whereabouts': False,
                                            'enable_nv_ipam': True,
                                            'enable_nic_feature_discovery': True},
                                   'context': {'deploy_ofed': 'No DOCA-OFED driver container '
                                                              'unless the intent needs RDMA over '
                                                              'ConnectX NICs',
                                               'use_host_mofed': 'The host has no DOCA/MLNX_OFED '
                                                                 'installation of its own',
                                               'enable_sriov': 'RDMA via the shared device plugin '
                                                               'rather than SR-IOV virtual '
                                                               'functions',
                                               'enable_multus': 'Multus attaches secondary (RDMA) '
                                                                'networks when the Network '
                                                                'Operator is deployed',
                                               'enable_whereabouts': 'Whereabouts off; nv-ipam is '
                                                                     'the IPAM for secondary '
                                                                     'networks',
                                               'enable_nv_ipam': 'NVIDIA IPAM assigns addresses on '
                                                                 'secondary networks',
                                               'enable_nic_feature_discovery': 'NIC Feature '
                                                                               'Discovery labels '
                                                                               'nodes with '
                                                                               'ConnectX '
                                                                               'capabilities'}}]},
                    {'type': 'GPU',
                     'subtypes': [{'subtype': 'smi',
                                   'data': {'driver-version': '580.105.08',
                                            'cuda-version': '13.0',
                                            'gsp-firmware-version': '580.105.08',
                                            'addressing-mode': 'HMM',
                                            'display-active': 'Disabled'},
                                   'context': {'driver-version': 'Kernel driver version nvidia-smi '
                                                                 'reports (GPU Operator v25.10.1 '
                                                                 'default)',
                                               'cuda-version': 'Highest CUDA version the R580 '
                                                               'driver supports (CUDA 13.0)',
                                               'gsp-firmware-version': 'GPU System Processor '
                                                                       'firmware ships with the '
                                                                       'driver, so it matches the '
                                                                       'driver version',
                                               'addressing-mode': 'Heterogeneous Memory Management '
                                                                  'lets GPUs access pageable host '
                                                                  'memory (open modules, kernel '
                                                                  '6.1.24+)',
                                               'display-active': 'GPU dedicated to compute '
                                                                 'workloads without display '
                                                                 'overhead'}}]}],
          'componentRefs': [{'name': 'cert-manager'},
                            {'name': 'kube-prometheus-stack'},
                            {'name': 'gpu-operator'},
                            {'name': 'nvidia-dra-driver-gpu'},
                            {'name': 'kai-scheduler'},
                            {'name': 'nvsentinel'},
                            {'name': 'skyhook-operator'}],
          'constraints': [{'check': 'K8s.server.version >= 1.32',
                           'severity': 'error',
                           'reason': 'The DRA driver for GPUs 25.12 needs Kubernetes 1.32+ (its '
                                     "chart's kubeVersion)"},
                          {'check': 'K8s.node.container-runtime-version >= 1.7',
                           'severity': 'warning',
                           'reason': 'The recipe injects GPUs with CDI, which containerd supports '
                                     'from 1.7'},
                          {'check': 'OS.kmod.nouveau == false',
                           'severity': 'error',
                           'reason': 'The open-source nouveau driver claims the GPU before the '
                                     'NVIDIA driver can bind'},
                          {'check': 'OS.sysctl./proc/sys/kernel/osrelease >= 6.1.24',
                           'severity': 'warning',
                           'reason': "HMM addressing (the recipe's GPU/smi addressing-mode) needs "
                                     'kernel 6.1.24+'},
                          {'check': 'GPU.smi.gpu-count >= 1',
                           'severity': 'error',
                           'reason': 'A recipe describes GPU nodes; nvidia-smi must see at least '
                                     'one GPU'},
                          {'check': 'GPU.smi.driver >= 535',
                           'severity': 'error',
                           'reason': "The recipe's open kernel modules with HMM addressing need an "
                                     'R535 or newer driver (CUDA 12.2+)'}]},
 'overlays': [{'key': {'intent': 'training'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'rdma': True, 'gdrcopy': True},
                                        'context': {'rdma': 'GPUDirect RDMA for multi-node '
                                                            'collectives (NCCL) between GPU and '
                                                            'NIC memory',
                                                    'gdrcopy': 'GDRCopy lowers latency of small '
                                                               'GPU memory copies used by UCX, '
                                                               'NVSHMEM and NCCL proxies'}},
                                       {'subtype': 'network-config',
                                        'data': {'deploy_ofed': True,
                                                 'enable_multus': True,
                                                 'enable_nv_ipam': True,
                                                 'enable_nic_feature_discovery': True},
                                        'context': {'deploy_ofed': 'Network Operator deploys the '
                                                                   'DOCA-OFED driver container for '
                                                                   'ConnectX InfiniBand/RoCE NICs',
                                                    'enable_multus': 'Multus attaches the RDMA '
                                                                     'secondary network to '
                                                                     'training pods',
                                                    'enable_nv_ipam': 'NVIDIA IPAM assigns '
                                                                      'addresses on the RDMA '
                                                                      'secondary network',
                                                    'enable_nic_feature_discovery': 'NIC Feature '
                                                                                    'Discovery '
                                                                                    'labels nodes '
                                                                                    'with ConnectX '
                                                                                    'capabilities '
                                                                                    'for '
                                                                                    'placement'}}]},
                         {'type': 'OS',
                          'subtypes': [{'subtype': 'kmod',
                                        'data': {'gdrdrv': True,
                                                 'ib_cm': True,
                                                 'ib_core': True,
                                                 'ib_iser': True,
                                                 'ib_uverbs': True,
                                                 'iw_cm': True,
                                                 'rdma_cm': True,
                                                 'rdma_ucm': True,
                                                 'rpcrdma': True},
                                        'context': {'gdrdrv': 'GDRCopy kernel module loaded by the '
                                                              'gdrcopy driver container',
                                                    'ib_cm': 'InfiniBand connection management for '
                                                             'RDMA',
                                                    'ib_core': 'InfiniBand core stack for '
                                                               'high-speed interconnect',
                                                    'ib_iser': 'iSCSI over RDMA for fast storage '
                                                               'access',
                                                    'ib_uverbs': 'InfiniBand userspace verbs for '
                                                                 'direct hardware access',
                                                    'iw_cm': 'iWARP connection management for RDMA '
                                                             'over Ethernet',
                                                    'rdma_cm': 'RDMA connection manager for '
                                                               'efficient GPU communication',
                                                    'rdma_ucm': 'RDMA userspace connection manager',
                                                    'rpcrdma': 'NFS over RDMA for distributed '
                                                               'datasets and checkpoints'}},
                                       {'subtype': 'grub',
                                        'data': {'hugepages': '5128', 'hugepagesz': '2M'},
                                        'context': {'hugepages': 'Pre-allocated 2 MB hugepages '
                                                                 '(about 10 GiB) for RDMA buffers '
                                                                 'and data loaders',
                                                    'hugepagesz': '2MB page size for the '
                                                                  'pre-allocated hugepages'}},
                                       {'subtype': 'sysctl',
                                        'data': {'/proc/sys/vm/nr_hugepages': '5128',
                                                 '/proc/sys/sunrpc/rdma_max_inline_read': '4096',
                                                 '/proc/sys/sunrpc/rdma_max_inline_write': '4096',
                                                 '/proc/sys/sunrpc/rdma_slot_table_entries': '128',
                                                 '/proc/sys/sunrpc/transports/rdma': '1048576'},
                                        'context': {'/proc/sys/vm/nr_hugepages': '2 MB hugepages '
                                                                                 'reserved at '
                                                                                 'runtime, '
                                                                                 'matching the '
                                                                                 'grub reservation',
                                                    '/proc/sys/sunrpc/rdma_max_inline_read': 'RDMA '
                                                                                             'inline '
                                                                                             'read '
                                                                                             'size '
                                                                                             'for '
                                                                                             'NFS '
                                                                                             'over '
                                                                                             'RDMA',
                                                    '/proc/sys/sunrpc/rdma_max_inline_write': 'RDMA '
                                                                                              'inline '
                                                                                              'write '
                                                                                              'size '
                                                                                              'for '
                                                                                              'NFS '
                                                                                              'over '
                                                                                              'RDMA',
                                                    '/proc/sys/sunrpc/rdma_slot_table_entries': 'RDMA '
                                                                                                'connection '
                                                                                                'slots '
                                                                                                'for '
                                                                                                'multi-node '
                                                                                                'storage '
                                                                                                'traffic',
                                                    '/proc/sys/sunrpc/transports/rdma': 'RDMA '
                                                                                        'transport '
                                                                                        'buffer '
                                                                                        'size for '
                                                                                        'NFS over '
                                                                                        'RDMA'}}]},
                         {'type': 'SystemD',
                          'subtypes': [{'subtype': 'containerd.service',
                                        'data': {'LimitMEMLOCK': 18446744073709551615},
                                        'context': {'LimitMEMLOCK': 'Unlimited locked memory so '
                                                                    'RDMA pods can pin (register) '
                                                                    'GPU and host buffers'}}]}],
               'componentRefs': [{'name': 'network-operator'}],
               'constraints': [{'check': 'SystemD.containerd.service.LimitMEMLOCK == '
                                         '18446744073709551615',
                                'severity': 'warning',
                                'reason': 'RDMA pods pin (register) GPU and host buffers; '
                                          'containerd must allow unlimited locked memory'}]},
              {'key': {'intent': 'inference'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'rdma': False,
                                                 'gdrcopy': False,
                                                 'dcgm_exporter_enabled': True,
                                                 'gfd_enabled': True},
                                        'context': {'rdma': 'Inference replicas serve from one '
                                                            'node; no GPUDirect RDMA needed',
                                                    'gdrcopy': 'No GDRCopy for single-node serving',
                                                    'dcgm_exporter_enabled': 'GPU utilisation and '
                                                                             'memory metrics drive '
                                                                             'inference '
                                                                             'autoscaling',
                                                    'gfd_enabled': 'GPU Feature Discovery labels '
                                                                   '(model, memory, MIG slices) '
                                                                   'steer replicas to the right '
                                                                   'GPUs'}},
                                       {'subtype': 'network-config',
                                        'data': {'deploy_ofed': False,
                                                 'enable_multus': False,
                                                 'enable_nv_ipam': False,
                                                 'enable_nic_feature_discovery': False},
                                        'context': {'deploy_ofed': 'No RDMA fabric for inference, '
                                                                   'so no DOCA-OFED driver',
                                                    'enable_multus': 'Inference pods use the '
                                                                     'cluster network only',
                                                    'enable_nv_ipam': 'No secondary network to '
                                                                      'address',
                                                    'enable_nic_feature_discovery': 'No ConnectX '
                                                                                    'placement '
                                                                                    'needed for '
                                                                                    'inference'}}]}],
               'componentRefs': [{'name': 'prometheus-adapter'}]},
              {'key': {'kernel': '5.15'},
               'types': [{'type': 'GPU',
                          'subtypes': [{'subtype': 'smi',
                                        'data': {'addressing-mode': 'None'},
                                        'context': {'addressing-mode': 'HMM needs kernel 6.1.24 or '
                                                                       'newer; on 5.15 (Ubuntu '
                                                                       '22.04 GA kernel) the GPU '
                                                                       'cannot address pageable '
                                                                       'host memory'}}]}],
               'constraints': [{'check': 'OS.sysctl./proc/sys/kernel/osrelease >= 5.15',
                                'severity': 'warning',
                                'reason': 'Kernel 5.15 runs the driver without HMM addressing; '
                                          'older kernels are untested'}]},
              {'key': {'gpu': 'h100'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'mig': False, 'mig_strategy': 'single'},
                                        'context': {'mig': 'H100 is MIG-capable (up to 7 '
                                                           'instances); whole GPUs unless the '
                                                           'intent partitions them',
                                                    'mig_strategy': 'Single strategy exposes whole '
                                                                    'GPUs (or uniform slices) as '
                                                                    'nvidia.com/gpu'}}]},
                         {'type': 'GPU',
                          'subtypes': [{'subtype': 'smi',
                                        'data': {'product-architecture': 'Hopper'},
                                        'context': {'product-architecture': 'H100 is a Hopper '
                                                                            'GPU'}}]}],
               'constraints': [{'check': 'GPU.smi.gpu.model contains H100',
                                'severity': 'error',
                                'reason': "The recipe's MIG profiles and driver settings are for "
                                          'H100 GPUs'}]},
              {'key': {'gpu': 'h200'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'mig': False, 'mig_strategy': 'single'},
                                        'context': {'mig': 'H200 is MIG-capable (up to 7 '
                                                           'instances); whole GPUs unless the '
                                                           'intent partitions them',
                                                    'mig_strategy': 'Single strategy exposes whole '
                                                                    'GPUs (or uniform slices) as '
                                                                    'nvidia.com/gpu'}}]},
                         {'type': 'GPU',
                          'subtypes': [{'subtype': 'smi',
                                        'data': {'product-architecture': 'Hopper'},
                                        'context': {'product-architecture': 'H200 is a Hopper GPU '
                                                                            'with 141 GB '
                                                                            'HBM3e'}}]}],
               'constraints': [{'check': 'GPU.smi.gpu.model contains H200',
                                'severity': 'error',
                                'reason': "The recipe's MIG profiles and driver settings are for "
                                          'H200 GPUs'}]},
              {'key': {'gpu': 'gb200'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'use_open_kernel_module': True,
                                                 'mig': False,
                                                 'mig_strategy': 'single'},
                                        'context': {'use_open_kernel_module': 'Blackwell GPUs are '
                                                                              'supported only by '
                                                                              'the open GPU kernel '
                                                                              'modules',
                                                    'mig': 'GB200 is MIG-capable; whole GPUs keep '
                                                           'the NVLink domain intact for '
                                                           'multi-node NVLink jobs',
                                                    'mig_strategy': 'Single strategy exposes whole '
                                                                    'GPUs as nvidia.com/gpu'}}]},
                         {'type': 'OS',
                          'subtypes': [{'subtype': 'grub',
                                        'data': {'iommu.passthrough': '1',
                                                 'init_on_alloc': '0',
                                                 'numa_balancing': 'disable',
                                                 'default_hugepagesz': '64K'},
                                        'context': {'iommu.passthrough': 'Bypass IOMMU translation '
                                                                         'for direct GPU memory '
                                                                         'access (GB200 '
                                                                         'requirement)',
                                                    'init_on_alloc': 'Disabled for faster GPU '
                                                                     'memory allocation',
                                                    'numa_balancing': 'Disabled for predictable '
                                                                      'GPU memory locality',
                                                    'default_hugepagesz': '64KB hugepages '
                                                                          'optimized for GB200 '
                                                                          'memory access '
                                                                          'patterns'}},
                                       {'subtype': 'sysctl',
                                        'data': {'/proc/sys/kernel/numa_balancing': '0'},
                                        'context': {'/proc/sys/kernel/numa_balancing': 'Disable '
                                                                                       'auto-migration '
                                                                                       'for '
                                                                                       'predictable '
                                                                                       'GPU memory '
                                                                                       'locality '
                                                                                       'on '
                                                                                       'Grace'}}]},
                         {'type': 'GPU',
                          'subtypes': [{'subtype': 'smi',
                                        'data': {'product-architecture': 'Blackwell',
                                                 'addressing-mode': 'ATS'},
                                        'context': {'product-architecture': 'GB200 pairs Blackwell '
                                                                            'GPUs with a Grace CPU',
                                                    'addressing-mode': 'Address Translation '
                                                                       'Services over NVLink-C2C '
                                                                       'give the GPU coherent '
                                                                       'access to Grace '
                                                                       'memory'}}]}],
               'constraints': [{'check': 'GPU.smi.gpu.model contains GB200',
                                'severity': 'error',
                                'reason': "The recipe's open kernel modules and Grace kernel "
                                          'settings are for GB200'},
                               {'check': 'GPU.smi.gpu-count == 4',
                                'severity': 'warning',
                                'reason': 'A GB200 NVL72 compute tray carries two Grace CPUs and '
                                          'four Blackwell GPUs'},
                               {'check': 'OS.sysctl./proc/sys/kernel/numa_balancing == 0',
                                'severity': 'warning',
                                'reason': 'Automatic NUMA balancing migrates GPU-mapped memory '
                                          'between Grace and GPU nodes'}]},
              {'key': {'gpu': 'b200'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'use_open_kernel_module': True,
                                                 'mig': False,
                                                 'mig_strategy': 'single'},
                                        'context': {'use_open_kernel_module': 'Blackwell GPUs are '
                                                                              'supported only by '
                                                                              'the open GPU kernel '
                                                                              'modules',
                                                    'mig': 'B200 is MIG-capable (up to 7 '
                                                           'instances); whole GPUs unless the '
                                                           'intent partitions them',
                                                    'mig_strategy': 'Single strategy exposes whole '
                                                                    'GPUs (or uniform slices) as '
                                                                    'nvidia.com/gpu'}}]},
                         {'type': 'GPU',
                          'subtypes': [{'subtype': 'smi',
                                        'data': {'product-architecture': 'Blackwell'},
                                        'context': {'product-architecture': 'B200 is a Blackwell '
                                                                            'GPU (HGX, x86 '
                                                                            'host)'}}]}],
               'constraints': [{'check': 'GPU.smi.gpu.model contains B200',
                                'severity': 'error',
                                'reason': "The recipe's open kernel modules and MIG profiles are "
                                          'for B200 GPUs'}]},
              {'key': {'gpu': 'a100'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'mig': False, 'mig_strategy': 'single'},
                                        'context': {'mig': 'A100 is MIG-capable (up to 7 '
                                                           'instances); whole GPUs unless the '
                                                           'intent partitions them',
                                                    'mig_strategy': 'Single strategy exposes whole '
                                                                    'GPUs (or uniform slices) as '
                                                                    'nvidia.com/gpu'}}]},
                         {'type': 'GPU',
                          'subtypes': [{'subtype': 'smi',
                                        'data': {'product-architecture': 'Ampere'},
                                        'context': {'product-architecture': 'A100 is an Ampere '
                                                                            'GPU'}}]}],
               'constraints': [{'check': 'GPU.smi.gpu.model contains A100',
                                'severity': 'error',
                                'reason': "The recipe's MIG profiles are for A100 GPUs"}]},
              {'key': {'gpu': 'l40'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'mig': False,
                                                 'mig_strategy': 'single',
                                                 'mig_profile': 'all-disabled'},
                                        'context': {'mig': 'L40 has no MIG support; share it with '
                                                           'time-slicing if needed',
                                                    'mig_strategy': 'No MIG, so the single '
                                                                    'strategy simply exposes whole '
                                                                    'GPUs',
                                                    'mig_profile': 'No MIG partitions exist on '
                                                                   'L40'}}]},
                         {'type': 'GPU',
                          'subtypes': [{'subtype': 'smi',
                                        'data': {'product-architecture': 'Ada Lovelace'},
                                        'context': {'product-architecture': 'L40 is an Ada '
                                                                            'Lovelace PCIe GPU '
                                                                            'without NVLink; '
                                                                            'GPU-to-GPU traffic '
                                                                            'crosses PCIe'}}]}],
               'constraints': [{'check': 'GPU.smi.gpu.model contains L40',
                                'severity': 'error',
                                'reason': 'The recipe turns MIG off and RDMA settings down for '
                                          'PCIe L40 GPUs'}]},
              {'key': {'gpu': 'l40s'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'mig': False,
                                                 'mig_strategy': 'single',
                                                 'mig_profile': 'all-disabled'},
                                        'context': {'mig': 'L40S has no MIG support; share it with '
                                                           'time-slicing if needed',
                                                    'mig_strategy': 'No MIG, so the single '
                                                                    'strategy simply exposes whole '
                                                                    'GPUs',
                                                    'mig_profile': 'No MIG partitions exist on '
                                                                   'L40S'}}]},
                         {'type': 'GPU',
                          'subtypes': [{'subtype': 'smi',
                                        'data': {'product-architecture': 'Ada Lovelace'},
                                        'context': {'product-architecture': 'L40S is an Ada '
                                                                            'Lovelace PCIe GPU '
                                                                            'without NVLink; '
                                                                            'GPU-to-GPU traffic '
                                                                            'crosses PCIe'}}]}],
               'constraints': [{'check': 'GPU.smi.gpu.model contains L40S',
                                'severity': 'error',
                                'reason': 'The recipe turns MIG off and RDMA settings down for '
                                          'PCIe L40S GPUs'}]},
              {'key': {'os': 'ubuntu'},
               'types': [{'type': 'OS',
                          'subtypes': [{'subtype': 'grub',
                                        'data': {'apparmor': '1', 'security': 'apparmor'},
                                        'context': {'apparmor': "AppArmor is Ubuntu's security "
                                                                'module (minimal GPU impact)',
                                                    'security': 'AppArmor selected as the Linux '
                                                                'security module'}}]},
                         {'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'driver_enabled': True},
                                        'context': {'driver_enabled': 'The GPU Operator driver '
                                                                      'container builds or loads '
                                                                      'the driver for the running '
                                                                      'Ubuntu kernel (ubuntu22.04 '
                                                                      'and ubuntu24.04 '
                                                                      'images)'}}]}],
               'constraints': [{'check': 'OS.release.ID == ubuntu',
                                'severity': 'error',
                                'reason': "The recipe's driver containers and kernel settings are "
                                          'built for Ubuntu'},
                               {'check': 'OS.release.VERSION_ID in [22.04, 24.04]',
                                'severity': 'warning',
                                'reason': 'GPU Operator driver containers are published for Ubuntu '
                                          '22.04 and 24.04'}]},
              {'key': {'os': 'rhel'},
               'types': [{'type': 'OS',
                          'subtypes': [{'subtype': 'grub',
                                        'data': {'selinux': '1', 'security': 'selinux'},
                                        'context': {'selinux': "SELinux is RHEL's security module; "
                                                               'the GPU Operator runs with it '
                                                               'enforcing',
                                                    'security': 'SELinux selected as the Linux '
                                                                'security module'}}]},
                         {'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'driver_enabled': True},
                                        'context': {'driver_enabled': 'The driver container '
                                                                      'compiles against '
                                                                      'kernel-devel for the '
                                                                      'running kernel, so nodes '
                                                                      'need access to the RHEL '
                                                                      'repositories'}}]}],
               'constraints': [{'check': 'OS.release.ID in [rhel, centos, rocky, almalinux]',
                                'severity': 'error',
                                'reason': "The recipe's driver containers and SELinux settings are "
                                          'for RHEL and its rebuilds'},
                               {'check': 'OS.release.VERSION_ID in [8, 9]',
                                'severity': 'warning',
                                'reason': 'GPU Operator driver containers are published for RHEL 8 '
                                          'and 9'}]},
              {'key': {'os': 'cos'},
               'types': [{'type': 'OS',
                          'subtypes': [{'subtype': 'grub',
                                        'data': {'apparmor': '1', 'security': 'apparmor'},
                                        'context': {'apparmor': 'Container-Optimized OS enforces '
                                                                'AppArmor',
                                                    'security': 'AppArmor selected as the Linux '
                                                                'security module'}},
                                       {'subtype': 'kmod',
                                        'data': {'gdrdrv': False},
                                        'context': {'gdrdrv': 'COS loads only signed kernel '
                                                              'modules from its image, so the '
                                                              'GDRCopy module is not available'}}]},
                         {'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'gdrcopy': False, 'gds': False},
                                        'context': {'gdrcopy': 'COS has a read-only root and loads '
                                                               'only its own signed modules; '
                                                               'GDRCopy cannot be installed',
                                                    'gds': 'GPUDirect Storage needs the nvidia-fs '
                                                           'module, which COS cannot load'}},
                                       {'subtype': 'network-config',
                                        'data': {'deploy_ofed': False},
                                        'context': {'deploy_ofed': 'No DOCA-OFED driver images '
                                                                   'exist for Container-Optimized '
                                                                   'OS'}}]}],
               'constraints': [{'check': 'OS.release.ID == cos',
                                'severity': 'error',
                                'reason': 'The recipe relies on GKE installing the driver on '
                                          'Container-Optimized OS'}]},
              {'key': {'os': 'amazonlinux'},
               'types': [{'type': 'OS',
                          'subtypes': [{'subtype': 'grub',
                                        'data': {'selinux': '1', 'security': 'selinux'},
                                        'context': {'selinux': 'Amazon Linux 2023 ships SELinux in '
                                                               'permissive mode (Amazon Linux 2 '
                                                               'leaves it disabled)',
                                                    'security': 'SELinux selected as the Linux '
                                                                'security module'}}]},
                         {'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'driver_enabled': False,
                                                 'driver_install_dir': '/'},
                                        'context': {'driver_enabled': 'No GPU Operator driver '
                                                                      'images exist for Amazon '
                                                                      'Linux; install the driver '
                                                                      'on the host (the EKS '
                                                                      'accelerated AMIs ship it)',
                                                    'driver_install_dir': 'The host driver lives '
                                                                          'in the root '
                                                                          'filesystem'}},
                                       {'subtype': 'network-config',
                                        'data': {'deploy_ofed': False},
                                        'context': {'deploy_ofed': 'No DOCA-OFED driver images '
                                                                   'exist for Amazon Linux '
                                                                   '(Ubuntu, RHEL, RHCOS and SLES '
                                                                   'only)'}}]}],
               'constraints': [{'check': 'OS.release.ID == amzn',
                                'severity': 'error',
                                'reason': 'The recipe relies on the driver and toolkit of the '
                                          'Amazon Linux accelerated AMIs'},
                               {'check': 'OS.release.VERSION_ID in [2, 2023]',
                                'severity': 'warning',
                                'reason': 'EKS ships accelerated AMIs for Amazon Linux 2 and 2023 '
                                          'only'},
                               {'check': 'GPU.smi.driver >= 580',
                                'severity': 'warning',
                                'reason': "The host provides the driver; the recipe's CUDA 13.0 "
                                          'components need an R580 driver'}]},
              {'key': {'service': 'eks'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'server',
                                        'data': {'version': 'v1.34.1'},
                                        'context': {'version': 'Amazon EKS 1.34 (reported as '
                                                               'v1.34.1-eks-*); DRA APIs on by '
                                                               'default'}},
                                       {'subtype': 'image',
                                        'data': {'aws-efa-k8s-device-plugin': 'v0.5.3'},
                                        'context': {'aws-efa-k8s-device-plugin': 'AWS EFA device '
                                                                                 'plugin '
                                                                                 'advertising '
                                                                                 'vpc.amazonaws.com/efa '
                                                                                 'interfaces to '
                                                                                 'pods'}},
                                       {'subtype': 'network-config',
                                        'data': {'deploy_ofed': False,
                                                 'use_host_mofed': False,
                                                 'enable_sriov': False,
                                                 'enable_multus': False,
                                                 'enable_whereabouts': False,
                                                 'enable_nv_ipam': False,
                                                 'enable_nic_feature_discovery': False},
                                        'context': {'deploy_ofed': 'AWS instances expose EFA, not '
                                                                   'ConnectX NICs; no DOCA-OFED '
                                                                   'driver',
                                                    'use_host_mofed': 'No Mellanox OFED on EKS '
                                                                      'nodes',
                                                    'enable_sriov': 'EFA interfaces come from the '
                                                                    'EFA device plugin, not SR-IOV',
                                                    'enable_multus': 'EFA needs no secondary CNI '
                                                                     'network',
                                                    'enable_whereabouts': 'No secondary network to '
                                                                          'address',
                                                    'enable_nv_ipam': 'No secondary network to '
                                                                      'address',
                                                    'enable_nic_feature_discovery': 'No ConnectX '
                                                                                    'NICs to '
                                                                                    'discover'}}]},
                         {'type': 'OS',
                          'subtypes': [{'subtype': 'kmod',
                                        'data': {'efa': True},
                                        'context': {'efa': 'Elastic Fabric Adapter driver for '
                                                           'OS-bypass networking between GPU '
                                                           'instances'}}]}],
               'componentRefs': [{'name': 'network-operator', 'enabled': False},
                                 {'name': 'aws-efa-k8s-device-plugin'}],
               'constraints': [{'check': 'OS.kmod.efa == true',
                                'severity': 'warning',
                                'reason': 'EFA interfaces need the efa kernel module (loaded by '
                                          'the EKS accelerated AMIs)'}]},
              {'key': {'service': 'gke'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'server',
                                        'data': {'version': 'v1.34.1'},
                                        'context': {'version': 'GKE 1.34 (reported as '
                                                               'v1.34.1-gke.*)'}},
                                       {'subtype': 'config',
                                        'data': {'rdma': False},
                                        'context': {'rdma': 'GKE provides GPUDirect (TCPX/TCPXO on '
                                                            'A3, RDMA on A3 Ultra and A4) through '
                                                            'its own networking stack, not the GPU '
                                                            'Operator'}},
                                       {'subtype': 'network-config',
                                        'data': {'deploy_ofed': False,
                                                 'use_host_mofed': False,
                                                 'enable_sriov': False,
                                                 'enable_multus': False,
                                                 'enable_whereabouts': False,
                                                 'enable_nv_ipam': False,
                                                 'enable_nic_feature_discovery': False},
                                        'context': {'deploy_ofed': 'GKE manages NIC drivers; no '
                                                                   'Network Operator',
                                                    'use_host_mofed': 'GKE manages NIC drivers; no '
                                                                      'Network Operator',
                                                    'enable_sriov': 'GKE multi-networking provides '
                                                                    'additional interfaces',
                                                    'enable_multus': 'GKE multi-networking '
                                                                     'provides additional '
                                                                     'interfaces',
                                                    'enable_whereabouts': 'GKE assigns addresses '
                                                                          'on its networks',
                                                    'enable_nv_ipam': 'GKE assigns addresses on '
                                                                      'its networks',
                                                    'enable_nic_feature_discovery': 'No Network '
                                                                                    'Operator on '
                                                                                    'GKE'}}]}],
               'componentRefs': [{'name': 'network-operator', 'enabled': False}]},
              {'key': {'service': 'aks'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'toolkit_enabled': False, 'driver_enabled': True},
                                        'context': {'toolkit_enabled': 'AKS GPU node images '
                                                                       'preinstall and configure '
                                                                       'the NVIDIA Container '
                                                                       'Toolkit',
                                                    'driver_enabled': 'The GPU Operator owns the '
                                                                      'driver; create the node '
                                                                      'pool with --gpu-driver none '
                                                                      'so AKS does not install '
                                                                      'one'}}]}]},
              {'key': {'service': 'oke'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'toolkit_enabled': True},
                                        'context': {'toolkit_enabled': 'OKE nodes run CRI-O; the '
                                                                       'toolkit container '
                                                                       "configures CRI-O's NVIDIA "
                                                                       'runtime hooks'}}]}]},
              {'key': {'service': 'self-managed'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'server',
                                        'data': {'version': 'v1.34.2'},
                                        'context': {'version': 'Upstream Kubernetes validated with '
                                                               'GPU Operator v25.10.1 (NVIDIA '
                                                               'Cloud Native Stack 17.0)'}},
                                       {'subtype': 'config',
                                        'data': {'nfd_enabled': True},
                                        'context': {'nfd_enabled': 'No provider labels GPU nodes '
                                                                   'on self-managed clusters, so '
                                                                   'NFD must run'}}]}]},
              {'key': {'service': 'kind'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'server',
                                        'data': {'version': 'v1.34.0'},
                                        'context': {'version': 'The node image of kind v0.30 '
                                                               '(kindest/node:v1.34.0), for '
                                                               'development clusters with GPU '
                                                               'passthrough'}},
                                       {'subtype': 'config',
                                        'data': {'driver_enabled': False,
                                                 'driver_install_dir': '/',
                                                 'toolkit_enabled': False,
                                                 'rdma': False,
                                                 'gdrcopy': False,
                                                 'gds': False},
                                        'context': {'driver_enabled': 'kind nodes are containers '
                                                                      "on the host; the host's "
                                                                      'driver serves them (nvkind)',
                                                    'driver_install_dir': 'The host driver lives '
                                                                          'in the root filesystem '
                                                                          'the nodes share',
                                                    'toolkit_enabled': 'nvkind configures the '
                                                                       "host's container runtime "
                                                                       'before the cluster starts',
                                                    'rdma': 'No RDMA NICs inside kind nodes',
                                                    'gdrcopy': 'kind nodes cannot load the GDRCopy '
                                                               'kernel module',
                                                    'gds': 'kind nodes cannot load the nvidia-fs '
                                                           'kernel module'}},
                                       {'subtype': 'network-config',
                                        'data': {'deploy_ofed': False,
                                                 'enable_sriov': False,
                                                 'enable_multus': False,
                                                 'enable_nv_ipam': False,
                                                 'enable_nic_feature_discovery': False},
                                        'context': {'deploy_ofed': 'No ConnectX NICs inside kind '
                                                                   'nodes',
                                                    'enable_sriov': 'No ConnectX NICs inside kind '
                                                                    'nodes',
                                                    'enable_multus': 'No secondary networks in a '
                                                                     'kind cluster',
                                                    'enable_nv_ipam': 'No secondary networks in a '
                                                                      'kind cluster',
                                                    'enable_nic_feature_discovery': 'No ConnectX '
                                                                                    'NICs inside '
                                                                                    'kind '
                                                                                    'nodes'}}]}],
               'componentRefs': [{'name': 'network-operator', 'enabled': False},
                                 {'name': 'skyhook-operator', 'enabled': False}],
               'constraints': [{'check': 'GPU.smi.driver >= 580',
                                'severity': 'warning',
                                'reason': "The host provides the driver; the recipe's CUDA 13.0 "
                                          'components need an R580 driver'}]},
              {'key': {'k8s': '1.30'},
               'componentRefs': [{'name': 'nvidia-dra-driver-gpu', 'enabled': False}],
               'constraints': [{'check': 'K8s.server.version >= 1.30',
                                'severity': 'error',
                                'reason': "skyhook-operator's chart needs Kubernetes 1.30+; the "
                                          'DRA driver (1.32+) is left out below 1.32'}]},
              {'key': {'k8s': '1.31'},
               'componentRefs': [{'name': 'nvidia-dra-driver-gpu', 'enabled': False}],
               'constraints': [{'check': 'K8s.server.version >= 1.30',
                                'severity': 'error',
                                'reason': "skyhook-operator's chart needs Kubernetes 1.30+; the "
                                          'DRA driver (1.32+) is left out below 1.32'}]},
              {'key': {'k8s': '1.32'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'server',
                                        'data': {'version': 'v1.32.10'},
                                        'context': {'version': 'Latest 1.32 patch NVIDIA validated '
                                                               '(Cloud Native Stack 15.2); use '
                                                               "your provider's newest 1.32 "
                                                               'patch'}}]}]},
              {'key': {'k8s': '1.33'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'server',
                                        'data': {'version': 'v1.33.6'},
                                        'context': {'version': 'Latest 1.33 patch NVIDIA validated '
                                                               '(Cloud Native Stack 16.1); use '
                                                               "your provider's newest 1.33 "
                                                               'patch'}}]}]},
              {'key': {'platform': 'kubeflow'}, 'componentRefs': [{'name': 'kubeflow-trainer'}]},
              {'key': {'platform': 'dynamo'},
               'componentRefs': [{'name': 'nvidia-dra-driver-gpu',
                                  'values': {'gpuResourcesEnabledOverride': True,
                                             'resources': {'gpus': {'enabled': True}}}},
                                 {'name': 'dynamo-crds'},
                                 {'name': 'dynamo-platform'}],
               'constraints': [{'check': 'K8s.server.version >= 1.34',
                                'severity': 'error',
                                'reason': 'Dynamo claims GPUs through DRA, which is GA '
                                          '(resource.k8s.io/v1) from Kubernetes 1.34'}]},
              {'key': {'platform': 'nim'}, 'componentRefs': [{'name': 'k8s-nim-operator'}]},
              {'key': {'gpu': 'h100', 'intent': 'inference'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'mig': True,
                                                 'mig_strategy': 'mixed',
                                                 'mig_profile': 'all-balanced'},
                                        'context': {'mig': 'Partition H100s so several models or '
                                                           'replicas share a GPU with hardware '
                                                           'isolation',
                                                    'mig_strategy': 'Mixed strategy exposes each '
                                                                    'slice size as its own '
                                                                    'resource '
                                                                    '(nvidia.com/mig-1g.10gb, ...)',
                                                    'mig_profile': 'all-balanced gives 2x 1g.10gb '
                                                                   '+ 1x 2g.20gb + 1x 3g.40gb per '
                                                                   'H100 80GB'}}]}]},
              {'key': {'gpu': 'h200', 'intent': 'inference'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'mig': True,
                                                 'mig_strategy': 'mixed',
                                                 'mig_profile': 'all-balanced'},
                                        'context': {'mig': 'Partition H200s so several models or '
                                                           'replicas share a GPU with hardware '
                                                           'isolation',
                                                    'mig_strategy': 'Mixed strategy exposes each '
                                                                    'slice size as its own '
                                                                    'resource',
                                                    'mig_profile': 'all-balanced gives 2x 1g.18gb '
                                                                   '+ 1x 2g.35gb + 1x 3g.71gb per '
                                                                   'H200'}}]}]},
              {'key': {'gpu': 'a100', 'intent': 'inference'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'mig': True,
                                                 'mig_strategy': 'mixed',
                                                 'mig_profile': 'all-balanced'},
                                        'context': {'mig': 'Partition A100s so several models or '
                                                           'replicas share a GPU with hardware '
                                                           'isolation',
                                                    'mig_strategy': 'Mixed strategy exposes each '
                                                                    'slice size as its own '
                                                                    'resource',
                                                    'mig_profile': 'all-balanced gives 2x 1g.10gb '
                                                                   '+ 1x 2g.20gb + 1x 3g.40gb on '
                                                                   'A100 80GB '
                                                                   '(1g.5gb/2g.10gb/3g.20gb on '
                                                                   '40GB)'}}]}]},
              {'key': {'gpu': 'b200', 'intent': 'inference'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'mig': True,
                                                 'mig_strategy': 'mixed',
                                                 'mig_profile': 'all-balanced'},
                                        'context': {'mig': 'Partition B200s so several models or '
                                                           'replicas share a GPU with hardware '
                                                           'isolation',
                                                    'mig_strategy': 'Mixed strategy exposes each '
                                                                    'slice size as its own '
                                                                    'resource',
                                                    'mig_profile': 'all-balanced gives 2x 1g.23gb '
                                                                   '+ 1x 2g.45gb + 1x 3g.90gb per '
                                                                   'B200'}}]}]},
              {'key': {'gpu': 'gb200', 'intent': 'inference'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'mig': False, 'mig_strategy': 'single'},
                                        'context': {'mig': 'GB200 inference serves large models '
                                                           'across whole GPUs and the NVLink '
                                                           'domain; MIG would split that domain',
                                                    'mig_strategy': 'Single strategy exposes whole '
                                                                    'GPUs'}}]}]},
              {'key': {'gpu': 'l40', 'intent': 'inference'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'rdma': False, 'gdrcopy': False},
                                        'context': {'rdma': 'PCIe L40 servers serve from one node; '
                                                            'no GPUDirect RDMA needed',
                                                    'gdrcopy': 'No GDRCopy needed for single-node '
                                                               'serving on L40'}}]}]},
              {'key': {'gpu': 'l40s', 'intent': 'inference'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'rdma': False, 'gdrcopy': False},
                                        'context': {'rdma': 'PCIe L40S servers serve from one '
                                                            'node; no GPUDirect RDMA needed',
                                                    'gdrcopy': 'No GDRCopy needed for single-node '
                                                               'serving on L40S'}}]}]},
              {'key': {'gpu': 'gb200', 'k8s': '1.32'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'server',
                                        'data': {'feature-gates': 'DynamicResourceAllocation=true',
                                                 'runtime-config': 'resource.k8s.io/v1beta1=true'},
                                        'context': {'feature-gates': 'DRA is beta and off by '
                                                                     'default in 1.32; GB200 '
                                                                     'ComputeDomains (multi-node '
                                                                     'NVLink) need it on the API '
                                                                     'server, scheduler, '
                                                                     'controller manager and '
                                                                     'kubelet',
                                                    'runtime-config': 'Serve the '
                                                                      'resource.k8s.io/v1beta1 API '
                                                                      'that the DRA driver uses on '
                                                                      '1.32'}}]}]},
              {'key': {'gpu': 'gb200', 'k8s': '1.33'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'server',
                                        'data': {'feature-gates': 'DynamicResourceAllocation=true',
                                                 'runtime-config': 'resource.k8s.io/v1beta1=true,resource.k8s.io/v1beta2=true'},
                                        'context': {'feature-gates': 'DRA is beta and off by '
                                                                     'default in 1.33; GB200 '
                                                                     'ComputeDomains (multi-node '
                                                                     'NVLink) need it on the API '
                                                                     'server, scheduler, '
                                                                     'controller manager and '
                                                                     'kubelet (managed services '
                                                                     'may enable it for you)',
                                                    'runtime-config': 'Serve the resource.k8s.io '
                                                                      'v1beta1 and v1beta2 APIs '
                                                                      'that the DRA driver uses on '
                                                                      '1.33'}}]}]},
              {'key': {'os': 'rhel', 'osv': '8'},
               'types': [{'type': 'OS',
                          'subtypes': [{'subtype': 'grub',
                                        'data': {'systemd.unified_cgroup_hierarchy': '1'},
                                        'context': {'systemd.unified_cgroup_hierarchy': 'RHEL 8 '
                                                                                        'boots '
                                                                                        'with '
                                                                                        'cgroup '
                                                                                        'v1; '
                                                                                        'switch to '
                                                                                        'cgroup '
                                                                                        'v2, which '
                                                                                        'Kubernetes '
                                                                                        'requires '
                                                                                        'for new '
                                                                                        'features '
                                                                                        '(cgroup '
                                                                                        'v1 is in '
                                                                                        'maintenance '
                                                                                        'since '
                                                                                        '1.31)'}}]}]},
              {'key': {'service': 'eks', 'intent': 'training'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'cdi': True,
                                                 'driver_install_dir': '/run/nvidia/driver',
                                                 'rdma': True},
                                        'context': {'cdi': 'CDI device injection for EKS training '
                                                           "nodes (NVIDIA's EKS training values "
                                                           'set it explicitly)',
                                                    'driver_install_dir': 'Containerized driver '
                                                                          'root on EKS training '
                                                                          'nodes',
                                                    'rdma': 'GPUDirect RDMA over EFA (libfabric '
                                                            'aws-ofi-nccl plugin) for multi-node '
                                                            'NCCL'}}]}]},
              {'key': {'service': 'aks', 'intent': 'training'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'cdi': True, 'rdma': True},
                                        'context': {'cdi': 'CDI device injection for AKS training '
                                                           "nodes (NVIDIA's AKS training values "
                                                           'enable it)',
                                                    'rdma': 'GPUDirect RDMA over the ND-series '
                                                            'InfiniBand fabric'}},
                                       {'subtype': 'network-config',
                                        'data': {'deploy_ofed': True,
                                                 'enable_sriov': False,
                                                 'enable_nv_ipam': True,
                                                 'enable_multus': True},
                                        'context': {'deploy_ofed': 'ND-series VMs expose ConnectX '
                                                                   'InfiniBand; the Network '
                                                                   'Operator deploys the DOCA-OFED '
                                                                   'driver (AKS Ubuntu kernels '
                                                                   'have prebuilt images)',
                                                    'enable_sriov': 'The VM already sees its '
                                                                    'InfiniBand VFs as devices; '
                                                                    'share them with the RDMA '
                                                                    'shared device plugin',
                                                    'enable_nv_ipam': 'NVIDIA IPAM addresses the '
                                                                      'IPoIB secondary network',
                                                    'enable_multus': 'Multus attaches the '
                                                                     'InfiniBand secondary network '
                                                                     'to training pods'}}]}]},
              {'key': {'service': 'self-managed', 'intent': 'training'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'network-config',
                                        'data': {'deploy_ofed': True,
                                                 'use_host_mofed': False,
                                                 'enable_nic_feature_discovery': True},
                                        'context': {'deploy_ofed': 'Bare-metal ConnectX NICs get '
                                                                   'the containerized DOCA-OFED '
                                                                   'driver from the Network '
                                                                   'Operator',
                                                    'use_host_mofed': 'Set true instead of '
                                                                      'deploy_ofed when '
                                                                      'DOCA-Host/MLNX_OFED is '
                                                                      'already installed on the '
                                                                      'nodes',
                                                    'enable_nic_feature_discovery': 'Label nodes '
                                                                                    'with NIC '
                                                                                    'model and '
                                                                                    'firmware for '
                                                                                    'rail-aligned '
                                                                                    'placement'}}]},
                         {'type': 'OS',
                          'subtypes': [{'subtype': 'grub',
                                        'data': {'iommu': 'pt'},
                                        'context': {'iommu': 'IOMMU in passthrough mode so '
                                                             'GPUDirect RDMA peer-to-peer traffic '
                                                             'is not translated (also disable PCIe '
                                                             'ACS)'}}]}]},
              {'key': {'service': 'gke', 'os': 'cos'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'driver_enabled': False,
                                                 'driver_install_dir': '/home/kubernetes/bin/nvidia',
                                                 'toolkit_install_dir': '/home/kubernetes/bin/nvidia',
                                                 'cdi': True,
                                                 'gdrcopy': False},
                                        'context': {'driver_enabled': 'GKE installs the driver on '
                                                                      'COS; also label nodes '
                                                                      'gke-no-default-nvidia-gpu-device-plugin=true '
                                                                      "so the operator's device "
                                                                      'plugin runs',
                                                    'driver_install_dir': "Where GKE's driver "
                                                                          'installer puts the '
                                                                          'driver on COS',
                                                    'toolkit_install_dir': 'COS root is read-only; '
                                                                           'the toolkit installs '
                                                                           'next to the GKE driver '
                                                                           'under '
                                                                           '/home/kubernetes/bin/nvidia',
                                                    'cdi': "CDI device injection (NVIDIA's GKE COS "
                                                           'values keep the default on)',
                                                    'gdrcopy': "GDRCopy off on GKE COS (NVIDIA's "
                                                               'GKE COS values disable it; COS '
                                                               'cannot load gdrdrv)'}}]}],
               'constraints': [{'check': 'GPU.smi.driver >= 580',
                                'severity': 'warning',
                                'reason': "GKE installs the driver on COS; the recipe's CUDA 13.0 "
                                          'components need an R580 driver'}]},
              {'key': {'service': 'eks', 'os': 'amazonlinux'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'driver_enabled': False,
                                                 'driver_install_dir': '/',
                                                 'toolkit_enabled': False},
                                        'context': {'driver_enabled': 'The EKS accelerated Amazon '
                                                                      'Linux AMIs ship the NVIDIA '
                                                                      'driver',
                                                    'driver_install_dir': "The AMI's driver lives "
                                                                          'in the host root '
                                                                          'filesystem',
                                                    'toolkit_enabled': 'The EKS accelerated Amazon '
                                                                       'Linux AMIs ship and '
                                                                       'configure the NVIDIA '
                                                                       'Container Toolkit'}}]}]},
              {'key': {'service': 'eks', 'gpu': 'gb200'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'image',
                                        'data': {'k8s-dra-driver-gpu': 'v25.12.0'},
                                        'context': {'k8s-dra-driver-gpu': 'ComputeDomains from the '
                                                                          'DRA driver set up IMEX '
                                                                          'channels for multi-node '
                                                                          'NVLink across the nodes '
                                                                          'of a P6e-GB200 '
                                                                          'UltraServer'}},
                                       {'subtype': 'config',
                                        'data': {'use_open_kernel_module': True},
                                        'context': {'use_open_kernel_module': 'Open GPU kernel '
                                                                              'modules are '
                                                                              'required on '
                                                                              'Blackwell and work '
                                                                              'with the EFA driver '
                                                                              'on P6e-GB200'}}]},
                         {'type': 'OS',
                          'subtypes': [{'subtype': 'kmod',
                                        'data': {'efa': True},
                                        'context': {'efa': 'EFA carries inter-rack traffic on '
                                                           'P6e-GB200; NVLink covers the '
                                                           'rack'}}]}]},
              {'key': {'intent': 'training', 'nodes': '1'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'rdma': False},
                                        'context': {'rdma': 'One node - NCCL stays on NVLink and '
                                                            'PCIe; no GPUDirect RDMA across a '
                                                            'network'}},
                                       {'subtype': 'network-config',
                                        'data': {'deploy_ofed': False,
                                                 'enable_multus': False,
                                                 'enable_nv_ipam': False,
                                                 'enable_nic_feature_discovery': False},
                                        'context': {'deploy_ofed': 'One node - no RDMA network to '
                                                                   'drive',
                                                    'enable_multus': 'One node - no secondary RDMA '
                                                                     'network',
                                                    'enable_nv_ipam': 'One node - no secondary '
                                                                      'RDMA network to address',
                                                    'enable_nic_feature_discovery': 'One node - no '
                                                                                    'RDMA network '
                                                                                    'to schedule '
                                                                                    'by'}}]}],
               'componentRefs': [{'name': 'network-operator', 'enabled': False}]},
              {'key': {'service': 'eks', 'gpu': 'h100', 'intent': 'training'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'rdma': True, 'gdrcopy': True, 'gds': False},
                                        'context': {'rdma': 'P5 instances carry NCCL traffic over '
                                                            '32 EFA interfaces with GPUDirect RDMA',
                                                    'gdrcopy': 'GDRCopy speeds up small-message '
                                                               'paths of aws-ofi-nccl on P5',
                                                    'gds': 'No GPUDirect Storage on EKS by default '
                                                           '(FSx for Lustre needs its own client '
                                                           'setup)'}},
                                       {'subtype': 'image',
                                        'data': {'aws-efa-k8s-device-plugin': 'v0.5.3'},
                                        'context': {'aws-efa-k8s-device-plugin': 'EFA device '
                                                                                 'plugin exposing '
                                                                                 'the P5 EFA '
                                                                                 'interfaces to '
                                                                                 'training '
                                                                                 'pods'}}]}],
               'constraints': [{'check': 'GPU.smi.gpu-count == 8',
                                'severity': 'warning',
                                'reason': 'P5 instances (p5.48xlarge) carry eight H100 GPUs; fewer '
                                          'means a different instance type'}]},
              {'key': {'service': 'gke', 'os': 'cos', 'gpu': 'h100'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'rdma': False,
                                                 'gdrcopy': False,
                                                 'gds': False,
                                                 'cdi': True},
                                        'context': {'rdma': 'A3 High/Mega H100 nodes use '
                                                            'GPUDirect-TCPX/TCPXO (GKE-managed), '
                                                            'not InfiniBand/RoCE RDMA',
                                                    'gdrcopy': 'GDRCopy off on GKE COS',
                                                    'gds': 'No nvidia-fs module on COS',
                                                    'cdi': "CDI device injection (NVIDIA's GKE COS "
                                                           'H100 recipes)'}}]}]},
              {'key': {'service': 'aks', 'gpu': 'h100', 'intent': 'training'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'rdma': True, 'gdrcopy': True, 'cdi': True},
                                        'context': {'rdma': 'ND H100 v5 has eight 400 Gb/s NDR '
                                                            'InfiniBand ConnectX-7 links, one per '
                                                            'GPU, for GPUDirect RDMA',
                                                    'gdrcopy': 'GDRCopy for low-latency NCCL/UCX '
                                                               'paths over InfiniBand',
                                                    'cdi': 'CDI device injection for AKS training '
                                                           'nodes'}},
                                       {'subtype': 'network-config',
                                        'data': {'deploy_ofed': True,
                                                 'enable_nic_feature_discovery': True},
                                        'context': {'deploy_ofed': 'DOCA-OFED driver for the '
                                                                   'ConnectX-7 InfiniBand adapters '
                                                                   'of ND H100 v5',
                                                    'enable_nic_feature_discovery': 'Label nodes '
                                                                                    'with their '
                                                                                    'InfiniBand '
                                                                                    'adapters'}}]}]},
              {'key': {'service': 'eks', 'os': 'amazonlinux', 'osv': '2'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'server',
                                        'data': {'version': 'v1.32.9'},
                                        'context': {'version': 'EKS publishes no Amazon Linux 2 '
                                                               'AMIs for Kubernetes 1.33 and '
                                                               'later; 1.32 is the newest (move to '
                                                               'Amazon Linux 2023)'}}]}]},
              {'key': {'service': 'oke', 'os': 'ubuntu', 'intent': 'training'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'rdma': True},
                                        'context': {'rdma': 'GPUDirect RDMA over OCI cluster '
                                                            'networks (RoCE v2 on ConnectX)'}},
                                       {'subtype': 'network-config',
                                        'data': {'deploy_ofed': True},
                                        'context': {'deploy_ofed': 'The DOCA-OFED driver container '
                                                                   "has images for OCI's Ubuntu "
                                                                   'kernels (-oracle '
                                                                   'flavour)'}}]}]},
              {'key': {'service': 'self-managed',
                       'os': 'ubuntu',
                       'gpu': 'h100',
                       'intent': 'training'},
               'types': [{'type': 'K8s',
                          'subtypes': [{'subtype': 'config',
                                        'data': {'rdma': True, 'gdrcopy': True, 'gds': True},
                                        'context': {'rdma': 'GPUDirect RDMA between H100s and '
                                                            'ConnectX NICs across nodes',
                                                    'gdrcopy': 'GDRCopy for low-latency NCCL/UCX '
                                                               'paths',
                                                    'gds': 'GPUDirect Storage for datasets and '
                                                           'checkpoints on local NVMe or RDMA '
                                                           'storage (needs the DOCA-OFED driver)'}},
                                       {'subtype': 'network-config',
                                        'data': {'deploy_ofed': True,
                                                 'enable_multus': True,
                                                 'enable_nv_ipam': True},
                                        'context': {'deploy_ofed': 'DOCA-OFED driver container for '
                                                                   'the ConnectX NICs (ubuntu22.04 '
                                                                   'and ubuntu24.04 images)',
                                                    'enable_multus': 'Multus attaches the RDMA '
                                                                     'secondary network to '
                                                                     'training pods',
                                                    'enable_nv_ipam': 'NVIDIA IPAM assigns '
                                                                      'addresses on the RDMA '
                                                                      'secondary network'}}]}]}]}
