//! Smali source for the kb fixture test (`api_fixtures.rs`): one class per
//! knowledge-base API entry holding exactly that entry's use, plus a control
//! class with none.

use pipa_kb::{Api, ApiKind};

/// The app package every fixture class lives in.
pub const PACKAGE: &str = "fixture";

/// The control class: code with no sensitive use.
pub const CONTROL: &str = "Lfixture/Control;";

/// How a method entry is invoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invoke {
    Virtual,
    Static,
    Interface,
}

impl Invoke {
    fn op(self) -> &'static str {
        match self {
            Invoke::Virtual => "invoke-virtual",
            Invoke::Static => "invoke-static",
            Invoke::Interface => "invoke-interface",
        }
    }
}

/// Entries whose real API is a static method.
const STATIC: &[&str] = &[
    "build.get_serial",
    "settings_secure.android_id",
    "settings_system.android_id",
    "settings_secure.bluetooth_address",
    "network_interface.get_network_interfaces",
    "msa.init_sdk",
    "huawei.advertising_id_client",
    "honor.advertising_id_client",
    "gms.advertising_id_client",
    "camera.open",
    "speech_recognizer.create",
    "sms_message.create_from_pdu",
    "media_store.set_require_original",
    "contacts.get_lookup_uri",
    "call_log.get_last_outgoing_call",
    "media_store.files_get_content_uri",
    "environment.get_external_storage_directory",
    "environment.get_external_storage_public_directory",
];

/// Entries whose class is an interface (`FusedLocationProviderClient` is one
/// since play-services-location 21; `HealthConnectClient` is a Kotlin interface).
const INTERFACE: &[&str] = &[
    "msa.id_supplier.get_oaid",
    "msa.id_supplier.get_vaid",
    "msa.id_supplier.get_aaid",
    "msa.legacy_supplier.get_oaid",
    "fused_location.get_last_location",
    "fused_location.request_location_updates",
    "fused_location.get_current_location",
    "androidx_health_connect.read_records",
];

/// The invoke kind of a method entry.
pub fn invoke_of(id: &str) -> Invoke {
    if STATIC.contains(&id) {
        Invoke::Static
    } else if INTERFACE.contains(&id) {
        Invoke::Interface
    } else {
        Invoke::Virtual
    }
}

/// Real prototypes (one overload) for method entries whose kb entry has no
/// `descriptor` (the kb then matches any overload).
const PROTOS: &[(&str, &str)] = &[
    ("telephony.get_device_id", "()Ljava/lang/String;"),
    ("telephony.get_imei", "()Ljava/lang/String;"),
    ("telephony.get_meid", "()Ljava/lang/String;"),
    ("telephony.get_subscriber_id", "()Ljava/lang/String;"),
    ("telephony.get_sim_serial_number", "()Ljava/lang/String;"),
    ("uicc_card_info.get_iccid", "()Ljava/lang/String;"),
    ("subscription_info.get_icc_id", "()Ljava/lang/String;"),
    ("build.get_serial", "()Ljava/lang/String;"),
    ("wifi_info.get_mac_address", "()Ljava/lang/String;"),
    ("network_interface.get_hardware_address", "()[B"),
    ("bluetooth_adapter.get_address", "()Ljava/lang/String;"),
    (
        "device_policy.get_wifi_mac_address",
        "(Landroid/content/ComponentName;)Ljava/lang/String;",
    ),
    (
        "msa.init_sdk",
        "(Landroid/content/Context;ZLcom/bun/miitmdid/interfaces/IIdentifierListener;)I",
    ),
    ("msa.id_supplier.get_oaid", "()Ljava/lang/String;"),
    ("msa.id_supplier.get_vaid", "()Ljava/lang/String;"),
    ("msa.id_supplier.get_aaid", "()Ljava/lang/String;"),
    ("msa.legacy_supplier.get_oaid", "()Ljava/lang/String;"),
    (
        "xiaomi.id_provider.oaid",
        "(Landroid/content/Context;)Ljava/lang/String;",
    ),
    (
        "xiaomi.id_provider.udid",
        "(Landroid/content/Context;)Ljava/lang/String;",
    ),
    (
        "xiaomi.id_provider.vaid",
        "(Landroid/content/Context;)Ljava/lang/String;",
    ),
    (
        "xiaomi.id_provider.aaid",
        "(Landroid/content/Context;)Ljava/lang/String;",
    ),
    ("samsung.device_id_service.oaid", "()Ljava/lang/String;"),
    (
        "samsung.device_id_service.vaid",
        "(Ljava/lang/String;)Ljava/lang/String;",
    ),
    (
        "samsung.device_id_service.aaid",
        "(Ljava/lang/String;)Ljava/lang/String;",
    ),
    (
        "samsung.device_id_service_repackaged.oaid",
        "()Ljava/lang/String;",
    ),
    (
        "huawei.advertising_id_client",
        "(Landroid/content/Context;)Lcom/huawei/hms/ads/identifier/AdvertisingIdClient$Info;",
    ),
    (
        "honor.advertising_id_client",
        "(Landroid/content/Context;)Lcom/hihonor/ads/identifier/AdvertisingIdClient$Info;",
    ),
    (
        "gms.advertising_id_client",
        "(Landroid/content/Context;)Lcom/google/android/gms/ads/identifier/AdvertisingIdClient$Info;",
    ),
    ("telephony.get_line1_number", "()Ljava/lang/String;"),
    ("telephony.get_voice_mail_number", "()Ljava/lang/String;"),
    (
        "subscription_manager.get_phone_number",
        "(I)Ljava/lang/String;",
    ),
    ("subscription_info.get_number", "()Ljava/lang/String;"),
    (
        "subscription_manager.get_active_subscription_info_list",
        "()Ljava/util/List;",
    ),
    (
        "location_manager.get_last_known_location",
        "(Ljava/lang/String;)Landroid/location/Location;",
    ),
    (
        "location_manager.request_location_updates",
        "(Ljava/lang/String;JFLandroid/location/LocationListener;)V",
    ),
    (
        "location_manager.request_single_update",
        "(Ljava/lang/String;Landroid/location/LocationListener;Landroid/os/Looper;)V",
    ),
    (
        "location_manager.get_current_location",
        "(Ljava/lang/String;Landroid/os/CancellationSignal;Ljava/util/concurrent/Executor;Ljava/util/function/Consumer;)V",
    ),
    (
        "location_manager.register_gnss_status_callback",
        "(Landroid/location/GnssStatus$Callback;)Z",
    ),
    (
        "location_manager.add_nmea_listener",
        "(Landroid/location/OnNmeaMessageListener;)Z",
    ),
    (
        "location_manager.add_gps_status_listener",
        "(Landroid/location/GpsStatus$Listener;)Z",
    ),
    ("location.get_latitude", "()D"),
    ("location.get_longitude", "()D"),
    ("geocoder.get_from_location", "(DDI)Ljava/util/List;"),
    (
        "geocoder.get_from_location_name",
        "(Ljava/lang/String;I)Ljava/util/List;",
    ),
    (
        "fused_location.get_last_location",
        "()Lcom/google/android/gms/tasks/Task;",
    ),
    (
        "fused_location.request_location_updates",
        "(Lcom/google/android/gms/location/LocationRequest;Lcom/google/android/gms/location/LocationCallback;Landroid/os/Looper;)Lcom/google/android/gms/tasks/Task;",
    ),
    (
        "fused_location.get_current_location",
        "(ILcom/google/android/gms/tasks/CancellationToken;)Lcom/google/android/gms/tasks/Task;",
    ),
    ("amap.location_client.start_location", "()V"),
    ("baidu.location_client.start", "()V"),
    (
        "tencent.location_manager.request_updates",
        "(Lcom/tencent/map/geolocation/TencentLocationRequest;Lcom/tencent/map/geolocation/TencentLocationListener;)I",
    ),
    (
        "telephony.get_cell_location",
        "()Landroid/telephony/CellLocation;",
    ),
    ("telephony.get_all_cell_info", "()Ljava/util/List;"),
    (
        "telephony.request_cell_info_update",
        "(Ljava/util/concurrent/Executor;Landroid/telephony/TelephonyManager$CellInfoCallback;)V",
    ),
    ("telephony.get_neighboring_cell_info", "()Ljava/util/List;"),
    (
        "telephony.get_service_state",
        "()Landroid/telephony/ServiceState;",
    ),
    ("gsm_cell_location.get_cid", "()I"),
    ("gsm_cell_location.get_lac", "()I"),
    ("cdma_cell_location.get_base_station_id", "()I"),
    ("cdma_cell_location.get_network_id", "()I"),
    ("exif.get_lat_long", "([F)Z"),
    ("androidx_exif.get_lat_long", "()[D"),
    (
        "media_store.set_require_original",
        "(Landroid/net/Uri;)Landroid/net/Uri;",
    ),
    ("wifi_manager.start_scan", "()Z"),
    ("wifi_manager.get_scan_results", "()Ljava/util/List;"),
    (
        "wifi_manager.get_connection_info",
        "()Landroid/net/wifi/WifiInfo;",
    ),
    ("wifi_manager.get_configured_networks", "()Ljava/util/List;"),
    ("wifi_manager.get_dhcp_info", "()Landroid/net/DhcpInfo;"),
    ("wifi_info.get_ssid", "()Ljava/lang/String;"),
    ("wifi_info.get_bssid", "()Ljava/lang/String;"),
    ("wifi_info.get_ip_address", "()I"),
    (
        "connectivity.get_active_network_info",
        "()Landroid/net/NetworkInfo;",
    ),
    ("network_info.get_extra_info", "()Ljava/lang/String;"),
    (
        "network_interface.get_network_interfaces",
        "()Ljava/util/Enumeration;",
    ),
    ("inet_address.get_host_address", "()Ljava/lang/String;"),
    ("telephony.get_sim_operator", "()Ljava/lang/String;"),
    ("telephony.get_network_operator", "()Ljava/lang/String;"),
    ("telephony.get_sim_country_iso", "()Ljava/lang/String;"),
    (
        "telephony.get_network_operator_name",
        "()Ljava/lang/String;",
    ),
    ("bluetooth_adapter.start_discovery", "()Z"),
    (
        "bluetooth_adapter.start_le_scan",
        "(Landroid/bluetooth/BluetoothAdapter$LeScanCallback;)Z",
    ),
    (
        "bluetooth_le_scanner.start_scan",
        "(Landroid/bluetooth/le/ScanCallback;)V",
    ),
    ("bluetooth_adapter.get_bonded_devices", "()Ljava/util/Set;"),
    ("bluetooth_adapter.get_name", "()Ljava/lang/String;"),
    ("bluetooth_device.get_address", "()Ljava/lang/String;"),
    ("bluetooth_device.get_name", "()Ljava/lang/String;"),
    (
        "package_manager.get_installed_packages",
        "(I)Ljava/util/List;",
    ),
    (
        "package_manager.get_installed_applications",
        "(I)Ljava/util/List;",
    ),
    (
        "package_manager.query_intent_activities",
        "(Landroid/content/Intent;I)Ljava/util/List;",
    ),
    (
        "package_manager.query_intent_services",
        "(Landroid/content/Intent;I)Ljava/util/List;",
    ),
    (
        "package_manager.query_intent_activity_options",
        "(Landroid/content/ComponentName;[Landroid/content/Intent;Landroid/content/Intent;I)Ljava/util/List;",
    ),
    (
        "package_manager.get_installed_packages_as_user",
        "(II)Ljava/util/List;",
    ),
    (
        "package_manager.get_package_info",
        "(Ljava/lang/String;I)Landroid/content/pm/PackageInfo;",
    ),
    (
        "package_manager.get_installer_package_name",
        "(Ljava/lang/String;)Ljava/lang/String;",
    ),
    (
        "activity_manager.get_running_app_processes",
        "()Ljava/util/List;",
    ),
    ("activity_manager.get_running_tasks", "(I)Ljava/util/List;"),
    ("activity_manager.get_recent_tasks", "(II)Ljava/util/List;"),
    (
        "activity_manager.get_running_services",
        "(I)Ljava/util/List;",
    ),
    ("usage_stats.query_usage_stats", "(IJJ)Ljava/util/List;"),
    (
        "usage_stats.query_events",
        "(JJ)Landroid/app/usage/UsageEvents;",
    ),
    (
        "usage_stats.query_and_aggregate_usage_stats",
        "(JJ)Ljava/util/Map;",
    ),
    ("clipboard.get_primary_clip", "()Landroid/content/ClipData;"),
    ("clipboard.get_text", "()Ljava/lang/CharSequence;"),
    ("text_clipboard.get_text", "()Ljava/lang/CharSequence;"),
    (
        "clipboard.get_primary_clip_description",
        "()Landroid/content/ClipDescription;",
    ),
    ("clipboard.has_primary_clip", "()Z"),
    (
        "clipboard.add_primary_clip_changed_listener",
        "(Landroid/content/ClipboardManager$OnPrimaryClipChangedListener;)V",
    ),
    (
        "contacts.get_lookup_uri",
        "(JLjava/lang/String;)Landroid/net/Uri;",
    ),
    (
        "call_log.get_last_outgoing_call",
        "(Landroid/content/Context;)Ljava/lang/String;",
    ),
    (
        "sms_message.create_from_pdu",
        "([B)Landroid/telephony/SmsMessage;",
    ),
    ("sms_message.get_message_body", "()Ljava/lang/String;"),
    (
        "sms_message.get_originating_address",
        "()Ljava/lang/String;",
    ),
    (
        "sms_manager.send_text_message",
        "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;Landroid/app/PendingIntent;Landroid/app/PendingIntent;)V",
    ),
    (
        "sms_manager.send_multipart_text_message",
        "(Ljava/lang/String;Ljava/lang/String;Ljava/util/ArrayList;Ljava/util/ArrayList;Ljava/util/ArrayList;)V",
    ),
    (
        "sms_manager.send_data_message",
        "(Ljava/lang/String;Ljava/lang/String;S[BLandroid/app/PendingIntent;Landroid/app/PendingIntent;)V",
    ),
    ("camera.open", "(I)Landroid/hardware/Camera;"),
    (
        "camera.take_picture",
        "(Landroid/hardware/Camera$ShutterCallback;Landroid/hardware/Camera$PictureCallback;Landroid/hardware/Camera$PictureCallback;)V",
    ),
    (
        "camera_manager.open_camera",
        "(Ljava/lang/String;Landroid/hardware/camera2/CameraDevice$StateCallback;Landroid/os/Handler;)V",
    ),
    (
        "camerax.image_capture.take_picture",
        "(Ljava/util/concurrent/Executor;Landroidx/camera/core/ImageCapture$OnImageCapturedCallback;)V",
    ),
    (
        "camerax.process_camera_provider.bind_to_lifecycle",
        "(Landroidx/lifecycle/LifecycleOwner;Landroidx/camera/core/CameraSelector;[Landroidx/camera/core/UseCase;)Landroidx/camera/core/Camera;",
    ),
    ("media_recorder.set_video_source", "(I)V"),
    ("audio_record.start_recording", "()V"),
    ("media_recorder.set_audio_source", "(I)V"),
    ("media_recorder.start", "()V"),
    (
        "speech_recognizer.create",
        "(Landroid/content/Context;)Landroid/speech/SpeechRecognizer;",
    ),
    (
        "speech_recognizer.start_listening",
        "(Landroid/content/Intent;)V",
    ),
    (
        "sensor_manager.register_listener",
        "(Landroid/hardware/SensorEventListener;Landroid/hardware/Sensor;I)Z",
    ),
    ("sensor_manager.get_sensor_list", "(I)Ljava/util/List;"),
    (
        "sensor_manager.get_default_sensor",
        "(I)Landroid/hardware/Sensor;",
    ),
    (
        "health_connect.read_records",
        "(Landroid/health/connect/ReadRecordsRequest;Ljava/util/concurrent/Executor;Landroid/os/OutcomeReceiver;)V",
    ),
    (
        "androidx_health_connect.read_records",
        "(Landroidx/health/connect/client/request/ReadRecordsRequest;Lkotlin/coroutines/Continuation;)Ljava/lang/Object;",
    ),
    (
        "account_manager.get_accounts",
        "()[Landroid/accounts/Account;",
    ),
    (
        "account_manager.get_accounts_by_type",
        "(Ljava/lang/String;)[Landroid/accounts/Account;",
    ),
    (
        "account_manager.get_accounts_by_type_and_features",
        "(Ljava/lang/String;[Ljava/lang/String;Landroid/accounts/AccountManagerCallback;Landroid/os/Handler;)Landroid/accounts/AccountManagerFuture;",
    ),
    (
        "account_manager.get_auth_token",
        "(Landroid/accounts/Account;Ljava/lang/String;Landroid/os/Bundle;Landroid/app/Activity;Landroid/accounts/AccountManagerCallback;Landroid/os/Handler;)Landroid/accounts/AccountManagerFuture;",
    ),
    (
        "account_manager.get_user_data",
        "(Landroid/accounts/Account;Ljava/lang/String;)Ljava/lang/String;",
    ),
    (
        "biometric_prompt.authenticate",
        "(Landroid/os/CancellationSignal;Ljava/util/concurrent/Executor;Landroid/hardware/biometrics/BiometricPrompt$AuthenticationCallback;)V",
    ),
    (
        "fingerprint_manager.authenticate",
        "(Landroid/hardware/fingerprint/FingerprintManager$CryptoObject;Landroid/os/CancellationSignal;ILandroid/hardware/fingerprint/FingerprintManager$AuthenticationCallback;Landroid/os/Handler;)V",
    ),
    (
        "androidx_biometric_prompt.authenticate",
        "(Landroidx/biometric/BiometricPrompt$PromptInfo;)V",
    ),
    (
        "fingerprint_manager_compat.authenticate",
        "(Landroidx/core/hardware/fingerprint/FingerprintManagerCompat$CryptoObject;ILandroidx/core/os/CancellationSignal;Landroidx/core/hardware/fingerprint/FingerprintManagerCompat$AuthenticationCallback;Landroid/os/Handler;)V",
    ),
    ("biometric_manager.can_authenticate", "()I"),
    (
        "media_projection_manager.create_screen_capture_intent",
        "()Landroid/content/Intent;",
    ),
    (
        "media_projection_manager.get_media_projection",
        "(ILandroid/content/Intent;)Landroid/media/projection/MediaProjection;",
    ),
    (
        "media_projection.create_virtual_display",
        "(Ljava/lang/String;IIIILandroid/view/Surface;Landroid/hardware/display/VirtualDisplay$Callback;Landroid/os/Handler;)Landroid/hardware/display/VirtualDisplay;",
    ),
    (
        "accessibility.get_root_in_active_window",
        "()Landroid/view/accessibility/AccessibilityNodeInfo;",
    ),
    ("accessibility.get_windows", "()Ljava/util/List;"),
    (
        "notification_listener.get_active_notifications",
        "()[Landroid/service/notification/StatusBarNotification;",
    ),
    (
        "media_store.files_get_content_uri",
        "(Ljava/lang/String;)Landroid/net/Uri;",
    ),
    (
        "environment.get_external_storage_directory",
        "()Ljava/io/File;",
    ),
    (
        "environment.get_external_storage_public_directory",
        "(Ljava/lang/String;)Ljava/io/File;",
    ),
];

/// Types of static-field entries without a `descriptor` (none today).
const FIELD_TYPES: &[(&str, &str)] = &[];

/// Fallback prototype for a method entry in neither the kb nor [`PROTOS`].
pub const FALLBACK_PROTO: &str = "()Ljava/lang/Object;";

/// The prototype a fixture uses for method entry `api`, and whether it came
/// from the kb or the table above (false = fallback).
pub fn proto_of(api: &Api) -> (String, bool) {
    if let Some(d) = &api.descriptor {
        return (d.clone(), true);
    }
    match PROTOS.iter().find(|(id, _)| *id == api.id) {
        Some((_, p)) => ((*p).to_string(), true),
        None => (FALLBACK_PROTO.to_string(), false),
    }
}

/// The field type a fixture uses for static-field entry `api`.
pub fn field_type_of(api: &Api) -> String {
    if let Some(d) = &api.descriptor {
        return d.clone();
    }
    FIELD_TYPES
        .iter()
        .find(|(id, _)| *id == api.id)
        .map_or("Ljava/lang/String;", |(_, t)| t)
        .to_string()
}

/// The parameter types of a prototype `(params)ret`, one per parameter.
pub fn params(proto: &str) -> Vec<String> {
    let inner = proto
        .strip_prefix('(')
        .and_then(|s| s.split_once(')'))
        .map_or("", |(p, _)| p);
    let b = inner.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while b[i] == b'[' {
            i += 1;
        }
        if b[i] == b'L' {
            while b[i] != b';' {
                i += 1;
            }
        }
        i += 1;
        out.push(inner[start..i].to_string());
    }
    out
}

fn is_wide(ty: &str) -> bool {
    ty == "J" || ty == "D"
}

/// A smali string literal.
fn lit(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\'' => o.push_str("\\'"),
            c if c.is_ascii() && !c.is_ascii_control() => o.push(c),
            c => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    o.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
    }
    o.push('"');
    o
}

/// The class descriptor of fixture `n`.
pub fn class_name(n: usize) -> String {
    format!("L{PACKAGE}/A{n:03};")
}

/// One fixture class for entry `api`: a static method `run()V` whose only
/// sensitive use is the entry's. Also returns the instruction expected in
/// `dexdump -d` output (opcode and operand text).
pub fn fixture_class(class: &str, api: &Api) -> (String, String, String) {
    let mut body = Vec::new();
    let (registers, op, target): (u32, String, String);
    match api.kind {
        ApiKind::Method => {
            let (proto, _) = proto_of(api);
            let inv = invoke_of(&api.id);
            let mut regs: Vec<(String, u32)> = Vec::new(); // (type, first register)
            let mut next = 0u32;
            if inv != Invoke::Static {
                regs.push((api.class_descriptor(), next));
                next += 1;
            }
            for p in params(&proto) {
                regs.push((p.clone(), next));
                next += if is_wide(&p) { 2 } else { 1 };
            }
            let arg_regs = next;
            // A required constant goes in the first String argument, else a
            // register of its own.
            let mut value_reg = None;
            if let Some(v) = &api.value {
                let r = regs
                    .iter()
                    .skip(usize::from(inv != Invoke::Static))
                    .find(|(t, _)| t == "Ljava/lang/String;")
                    .map(|(_, r)| *r);
                let r = r.unwrap_or_else(|| {
                    next += 1;
                    next - 1
                });
                value_reg = Some((r, v.clone()));
            }
            for (t, r) in &regs {
                if value_reg.as_ref().is_some_and(|(vr, _)| vr == r) {
                    continue;
                }
                if is_wide(t) {
                    body.push(format!("const-wide/16 v{r}, 0"));
                } else {
                    body.push(format!("const/16 v{r}, 0"));
                }
            }
            if let Some((r, v)) = &value_reg {
                body.push(format!("const-string v{r}, {}", lit(v)));
            }
            let method = format!("{}->{}{}", api.class_descriptor(), api.member, proto);
            let mut inv_op = inv.op().to_string();
            if arg_regs == 0 {
                body.push(format!("{inv_op} {{}}, {method}"));
            } else if arg_regs <= 5 {
                let list: Vec<String> = (0..arg_regs).map(|r| format!("v{r}")).collect();
                body.push(format!("{inv_op} {{{}}}, {method}", list.join(", ")));
            } else {
                inv_op.push_str("/range");
                body.push(format!("{inv_op} {{v0 .. v{}}}, {method}", arg_regs - 1));
            }
            op = inv_op;
            registers = next.max(1);
            // dexdump: `Lcls;.name:(params)ret`
            target = format!("{}.{}:{}", api.class_descriptor(), api.member, proto);
        }
        ApiKind::StaticField => {
            let ty = field_type_of(api);
            let sget = match ty.as_str() {
                "Z" => "sget-boolean",
                "B" => "sget-byte",
                "C" => "sget-char",
                "S" => "sget-short",
                "I" | "F" => "sget",
                "J" | "D" => "sget-wide",
                _ => "sget-object",
            };
            body.push(format!(
                "{sget} v0, {}->{}:{ty}",
                api.class_descriptor(),
                api.member
            ));
            registers = if is_wide(&ty) { 2 } else { 1 };
            op = sget.to_string();
            target = format!("{}.{}:{ty}", api.class_descriptor(), api.member);
        }
        ApiKind::String => {
            let v = api.value.clone().unwrap_or_default();
            body.push(format!("const-string v0, {}", lit(&v)));
            registers = 1;
            op = "const-string".to_string();
            target = format!("\"{v}\"");
        }
    }
    let mut s = format!(
        ".class public {class}\n.super Ljava/lang/Object;\n.source \"{}\"\n\n\
         # kb entry {}\n.method public static run()V\n    .registers {registers}\n",
        api.id, api.id
    );
    for line in body {
        s.push_str("    ");
        s.push_str(&line);
        s.push('\n');
    }
    s.push_str("    return-void\n.end method\n");
    (s, op, target)
}

/// The control class: a string, a static field read and calls, none sensitive
/// — including `Settings$Secure.getString` of a harmless key, which the
/// value-gated entries (`android_id`, `bluetooth_address`) must not report.
pub fn control_class() -> String {
    format!(
        ".class public {CONTROL}\n.super Ljava/lang/Object;\n\n\
         .method public static run()V\n    .registers 2\n\
         \x20   sget-object v0, Ljava/lang/System;->out:Ljava/io/PrintStream;\n\
         \x20   const-string v1, \"hello fixture\"\n\
         \x20   invoke-virtual {{v0, v1}}, Ljava/io/PrintStream;->println(Ljava/lang/String;)V\n\
         \x20   const/4 v0, 0\n\
         \x20   const-string v1, \"screen_brightness\"\n\
         \x20   invoke-static {{v0, v1}}, Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;\n\
         \x20   invoke-static {{}}, Ljava/lang/System;->currentTimeMillis()J\n\
         \x20   return-void\n.end method\n"
    )
}
