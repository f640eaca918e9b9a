/** The parts of QuickBooks Online's JSON entities that Dunwell reads (PascalCase, as on the wire). */
export interface Ref {
  value: string;
  name?: string;
}

export interface MetaData {
  CreateTime?: string;
  LastUpdatedTime?: string;
}

/** A PhysicalAddress: every part optional free text (Lat and Long are not read). */
export interface WireAddress {
  Line1?: string;
  Line2?: string;
  Line3?: string;
  Line4?: string;
  Line5?: string;
  City?: string;
  CountrySubDivisionCode?: string;
  PostalCode?: string;
  Country?: string;
}

export interface WireInvoice {
  Id: string;
  SyncToken?: string;
  DocNumber?: string;
  TxnDate?: string;
  DueDate?: string;
  TotalAmt?: number;
  Balance?: number;
  CurrencyRef?: Ref;
  CustomerRef?: Ref;
  BillEmail?: { Address?: string };
  PrivateNote?: string;
  InvoiceLink?: string;
  MetaData?: MetaData;
}

export interface WireCustomer {
  Id: string;
  DisplayName?: string;
  CompanyName?: string;
  GivenName?: string;
  FamilyName?: string;
  PrimaryEmailAddr?: { Address?: string };
  /** The billing address; `Country` is free text ("USA", "United States", "AU"). */
  BillAddr?: WireAddress;
  Active?: boolean;
  CurrencyRef?: Ref;
  MetaData?: MetaData;
}

export interface WirePayment {
  Id: string;
  TxnDate?: string;
  TotalAmt?: number;
  /** The customer's reference (cheque number, transfer id). */
  PaymentRefNum?: string;
  /** What was not applied to invoices: credit the customer holds. */
  UnappliedAmt?: number;
  CurrencyRef?: Ref;
  CustomerRef?: Ref;
  Line?: Array<{ Amount?: number; LinkedTxn?: Array<{ TxnId: string; TxnType: string }> }>;
  MetaData?: MetaData;
}

/** A credit memo; `RemainingCredit` (and `Balance`) is what is left to apply. */
export interface WireCreditMemo {
  Id: string;
  DocNumber?: string;
  TxnDate?: string;
  TotalAmt?: number;
  RemainingCredit?: number;
  Balance?: number;
  CurrencyRef?: Ref;
  CustomerRef?: Ref;
  MetaData?: MetaData;
}

/** A product or service (Type: Service, NonInventory, Inventory, Group, Category). */
export interface WireItem {
  Id: string;
  Name?: string;
  FullyQualifiedName?: string;
  Type?: string;
  Active?: boolean;
}

/** What CDC returns for a deleted entity. */
export interface WireDeleted {
  Id: string;
  status: 'Deleted';
  MetaData?: MetaData;
}

export interface QueryResponse {
  QueryResponse?: {
    Invoice?: WireInvoice[];
    Customer?: WireCustomer[];
    Payment?: WirePayment[];
    CreditMemo?: WireCreditMemo[];
    Item?: WireItem[];
    startPosition?: number;
    maxResults?: number;
  };
  time?: string;
}

export interface CdcResponse {
  CDCResponse?: Array<{
    QueryResponse?: Array<{
      Invoice?: Array<WireInvoice | WireDeleted>;
      Customer?: Array<WireCustomer | WireDeleted>;
      Payment?: Array<WirePayment | WireDeleted>;
      CreditMemo?: Array<WireCreditMemo | WireDeleted>;
    }>;
  }>;
  time?: string;
}
