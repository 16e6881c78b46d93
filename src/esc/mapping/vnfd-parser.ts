import { VnfdParseError } from './mapping-errors';
import { parsePythonLiteral } from './python-literal';
import type { ComputeModel, CpModel, Day0Model, ExternalCpModel, L3ProtocolModel, VduModel, VlModel, VnfdModel } from './vnfd-model';
import { readInstantiationLevels, readPolicies, readScalingAspects, readVduProfiles } from './vnfd-policies';
import { asArray, asCount, asNumber, asRecord, asRecords, asString, firstOf, sizeInBytes, type Json } from './vnfd-values';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/**
 * Parses a VF-C catalog VNFD (`packageInfo.vnfdModel`) into a {@link VnfdModel}.
 * Accepts a JSON string, an already parsed object, or the Python-repr string NSLCM puts in
 * scale's `additionalParam.vnfdModel` (read as literal syntax, never evaluated).
 * Tolerates the catalog parser's variations: `nfv_compute` or `virtual_compute`, CPs listed on the
 * VDU or at top level, images in `artifacts` or `image_files`, SOL001 policies or `vnf_flavours`.
 */
export function parseVnfdModel(model: string | object): VnfdModel {
  const root = toRecord(model);
  const wrapped = root.vdus === undefined ? root.vnfdModel : undefined;
  if (wrapped !== undefined && (typeof wrapped === 'string' || typeof wrapped === 'object')) {
    return parseVnfdModel(wrapped as string | object);
  }
  const policies = readPolicies(root);
  const externalCps = readExternalCps(root);
  const vdus = asRecords(root.vdus).map((v, i) => readVdu(root, v, i, externalCps));
  const meta = asRecord(root.metadata) ?? {};
  const vnfProps = asRecord(asRecord(root.vnf)?.properties) ?? {};
  return {
    vnfdId: firstOf(asString(vnfProps.descriptor_id), asString(meta.vnfdId), asString(meta.id), asString(root.vnfdId)) ?? '',
    vnfProvider: firstOf(asString(vnfProps.provider), asString(meta.vnfProvider)),
    version: firstOf(asString(vnfProps.descriptor_version), asString(meta.vnfdVersion)),
    vnfType: firstOf(asString(vnfProps.product_name), asString(meta.vnfProductName), asString(meta.vnfProductInfoName)),
    vdus,
    vls: asRecords(root.vls)
      .map(readVl)
      .filter((v): v is VlModel => v !== undefined),
    externalCps,
    scalingAspects: readScalingAspects(root, policies),
    instantiationLevels: readInstantiationLevels(policies),
    vduProfiles: readVduProfiles(root),
  };
}

function toRecord(model: string | object): Json {
  let parsed: unknown = model;
  if (typeof model === 'string') parsed = parseText(model);
  const rec = asRecord(parsed);
  if (!rec) throw new VnfdParseError('vnfdModel is not an object');
  return rec;
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return parsePythonLiteral(text);
    } catch (err) {
      throw new VnfdParseError(`vnfdModel is neither JSON nor a Python literal: ${(err as Error).message}`, { cause: err });
    }
  }
}

function readExternalCps(root: Json): ExternalCpModel[] {
  const exposed = asRecord(root.vnf_exposed) ?? {};
  return asRecords(exposed.external_cps)
    .map((c) => ({ cpdId: firstOf(asString(c.cp_id), asString(c.cpd_id)) ?? '', keyName: asString(c.key_name) }))
    .filter((c) => c.cpdId !== '');
}

function readVl(vl: Json): VlModel | undefined {
  const vlId = asString(vl.vl_id);
  if (!vlId) return undefined;
  const props = asRecord(vl.properties) ?? {};
  const out: VlModel = { vlId, name: asString(props.name), description: firstOf(asString(props.description), asString(vl.description)) };
  const l3 = readL3(props);
  if (l3) out.l3 = l3;
  return out;
}

/**
 * A VL's layer-3 data: SOL001 `vl_profile.virtual_link_protocol_data[].l3_protocol_data` (first entry that has
 * one), else the catalog's flat properties (`cidr`, `gateway_ip`, `dhcp_enabled`, `ip_version`).
 */
function readL3(props: Json): L3ProtocolModel | undefined {
  const profile = asRecord(props.vl_profile) ?? {};
  const protocols = [...asRecords(profile.virtual_link_protocol_data), ...asRecords(props.virtual_link_protocol_data)];
  const src = protocols.map((p) => asRecord(p.l3_protocol_data)).find((d) => d !== undefined) ?? props;
  const l3: L3ProtocolModel = {};
  const version = asString(src.ip_version);
  if (version !== undefined)
    l3.ipVersion = /^(v|ipv)?6$/i.test(version) ? 'ipv6' : /^(v|ipv)?4$/i.test(version) ? 'ipv4' : version.toLowerCase();
  const cidr = asString(src.cidr);
  if (cidr !== undefined) l3.cidr = cidr;
  const gateway = firstOf(asString(src.gateway_ip), asString(src.gateway));
  if (gateway !== undefined) l3.gatewayIp = gateway;
  const dhcp = src.dhcp_enabled;
  if (typeof dhcp === 'boolean') l3.dhcpEnabled = dhcp;
  else if (dhcp === 'true' || dhcp === 'false') l3.dhcpEnabled = dhcp === 'true';
  return Object.keys(l3).length > 0 ? l3 : undefined;
}

function readVdu(root: Json, vdu: Json, index: number, externalCps: ExternalCpModel[]): VduModel {
  const props = asRecord(vdu.properties) ?? {};
  const vduId = asString(vdu.vdu_id) ?? `vdu-${index}`;
  return {
    vduId,
    name: asString(props.name) ?? vduId,
    description: firstOf(asString(props.description), asString(vdu.description)),
    image: readImage(root, vdu, props),
    flavorName: asString(props.flavor),
    compute: readCompute(root, vdu),
    cps: readCps(root, vdu, vduId, externalCps),
    bootupTime: asCount(props.bootup_time),
    day0: readDay0(props),
  };
}

/** The VDU's image: `image_file` names an artifact or `image_files` entry; else the first SwImage artifact. */
function readImage(root: Json, vdu: Json, props: Json): VduModel['image'] {
  const ref = asString(vdu.image_file);
  const artifacts = asRecords(vdu.artifacts);
  const artifact =
    artifacts.find((a) => ref !== undefined && asString(a.artifact_name) === ref) ??
    artifacts.find((a) => /SwImage$/i.test(asString(a.type) ?? ''));
  const imageFile = asRecords(root.image_files).find((f) => ref !== undefined && asString(f.image_file_id) === ref);
  const aProps = asRecord(artifact?.properties) ?? asRecord(imageFile?.properties) ?? {};
  const swData = asRecord(props.sw_image_data) ?? {};
  const name = firstOf(asString(aProps.name), asString(swData.name), ref, asString(artifact?.artifact_name));
  if (!name) return undefined;
  const file = firstOf(asString(artifact?.file), asString(aProps.sw_image), asString(swData.sw_image));
  return file === undefined ? { name } : { name, file };
}

function readCompute(root: Json, vdu: Json): ComputeModel | undefined {
  const nfv = asRecord(vdu.nfv_compute);
  const virt = asRecord(vdu.virtual_compute);
  const cpu = firstOf(asCount(nfv?.num_cpus), asCount(asRecord(virt?.virtual_cpu)?.num_virtual_cpu));
  const memBytes = firstOf(sizeInBytes(nfv?.mem_size, 'mib'), sizeInBytes(asRecord(virt?.virtual_memory)?.virtual_mem_size, 'mib'));
  const diskBytes = firstOf(sizeInBytes(asRecords(virt?.virtual_local_storage)[0]?.size_of_storage, 'gib'), localStorageBytes(root, vdu));
  const compute: ComputeModel = {};
  if (cpu !== undefined) compute.numVirtualCpu = cpu;
  if (memBytes !== undefined) compute.virtualMemMiB = Math.ceil(memBytes / MIB);
  if (diskBytes !== undefined) compute.diskGiB = Math.ceil(diskBytes / GIB);
  return Object.keys(compute).length > 0 ? compute : undefined;
}

/** Root disk from the first local storage the VDU references (ids into top-level `local_storages`). */
function localStorageBytes(root: Json, vdu: Json): number | undefined {
  const ref = asArray(vdu.local_storages).map((s) => asString(s) ?? asString(asRecord(s)?.local_storage_id))[0];
  if (!ref) return undefined;
  const storage = asRecords(root.local_storages).find((s) => asString(s.local_storage_id) === ref);
  const props = asRecord(storage?.properties) ?? {};
  return firstOf(sizeInBytes(props.size_of_storage, 'gib'), sizeInBytes(props.size, 'gib'));
}

/** CPs bound to the VDU (top-level `cps` with `vdu_id`, or objects in the VDU's own `cps`), in NIC order. */
function readCps(root: Json, vdu: Json, vduId: string, externalCps: ExternalCpModel[]): CpModel[] {
  const own = asRecords(vdu.cps);
  const ownIds = new Set(
    asArray(vdu.cps)
      .map(asString)
      .filter((s) => s !== undefined),
  );
  const top = asRecords(root.cps).filter((c) => asString(c.vdu_id) === vduId || ownIds.has(asString(c.cp_id) ?? asString(c.cpd_id) ?? ''));
  const seen = new Set<string>();
  const cps: CpModel[] = [];
  for (const c of [...own, ...top]) {
    const cpdId = firstOf(asString(c.cp_id), asString(c.cpd_id));
    if (!cpdId || seen.has(cpdId)) continue;
    seen.add(cpdId);
    const ext = externalCps.find((e) => e.cpdId === cpdId);
    const order = firstOf(asNumber(asRecord(c.properties)?.order), asNumber(c.order));
    const cp: CpModel = { cpdId, external: ext !== undefined };
    const vl = asString(c.vl_id);
    if (vl) cp.virtualLinkId = vl;
    if (ext?.keyName) cp.externalKey = ext.keyName;
    if (order !== undefined) cp.order = order;
    cps.push(cp);
  }
  // Stable sort: CPs with an explicit order first by that order, the rest keep their listed order.
  return cps
    .map((cp, i) => ({ cp, key: cp.order ?? Number.MAX_SAFE_INTEGER, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map((x) => x.cp);
}

/** Day-0 files: `properties.day0` / `config_data` lists of `{dst, file|data}`, or a `boot_data` string. */
function readDay0(props: Json): Day0Model[] {
  const out: Day0Model[] = [];
  for (const c of [...asRecords(props.day0), ...asRecords(props.config_data)]) {
    const dst = asString(c.dst);
    const file = asString(c.file);
    const data = typeof c.data === 'string' ? c.data : undefined;
    if (dst && file) out.push({ dst, file });
    else if (dst && data !== undefined) out.push({ dst, data });
  }
  const boot = props.boot_data;
  const bootText = typeof boot === 'string' ? boot : (asString(asRecord(boot)?.contents) ?? asString(asRecord(boot)?.content));
  if (bootText !== undefined) out.push({ dst: 'day0-config', data: bootText });
  return out;
}
